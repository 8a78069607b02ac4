"""Building blocks for API input schemas: what every endpoint refuses before a service sees it.

Input that the database would choke on (NUL characters, which PostgreSQL text
cannot hold; times that overflow when converted to UTC; ids beyond a 64-bit
integer; page offsets in the billions) is a 422 `invalid_input` here, never a
500 from the database.
"""

from datetime import time
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import WithJsonSchema, field_validator

from meetops.core.validation import SaneDatetime

MAX_DB_ID = 2**63 - 1
MAX_PAGE = 500
MAX_OFFSET = 10**9


class Input(Schema):
    """Base for request bodies and query filters: no NUL characters in any text."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("text must not contain NUL characters")
        return value


# A datetime inside the sane window (core/validation.py); the older name stays for callers.
ApiDatetime = SaneDatetime
# A local time of day, "07:00:00". OpenAPI's `format: time` is RFC 3339's full-time, which
# needs an offset ("07:00:00Z"); a room opens at seven wherever it is, so the schema
# says what the value is: hours, minutes, optional seconds.
TIME_OF_DAY_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
TimeOfDay = Annotated[
    time,
    WithJsonSchema({"type": "string", "pattern": TIME_OF_DAY_PATTERN, "example": "07:00:00"}),
]
# An id that fits the database's 64-bit primary keys.
DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]


class Pagination(LimitOffsetPagination):
    """`?limit=` (1–500) and `?offset=`; out-of-range numbers are input errors."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)
