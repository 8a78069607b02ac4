"""What an app hands the archive when a meeting is filed (P4.1): the files it has for it.

An app declares an archive source in its `contributions.py` (the registry's "archive" store):
a function `(meeting, actor) -> Iterator[Found]` that yields nothing when the app has nothing
for the meeting. The records app gathers from every source; a source only reads its own app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """A file a source has; `make` renders or reads it (None when the stored file is missing),
    only called for what the dossier does not hold yet."""

    source: str  # stable key, e.g. "minutes.pdf", "agenda.material:12"
    category: str  # the archive's Category.code
    title: str
    ext: str
    make: Callable[[], bytes | None]


def read_field(field: FieldFile) -> bytes | None:
    """The stored file's bytes, or None (logged) when storage lost it."""
    try:
        with field.open("rb") as f:
            return f.read()
    except OSError:
        logger.warning("archive: %s is missing from storage", field.name)
        return None


def file_ext(name: str | None) -> str:
    name = name or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else "bin"


def html_pdf(html: str, stylesheet: str | None = None) -> bytes:
    from weasyprint import CSS, HTML  # heavy: only when a PDF is made

    sheets = [CSS(filename=finders.find(stylesheet))] if stylesheet else []
    return HTML(string=html).write_pdf(stylesheets=sheets)
