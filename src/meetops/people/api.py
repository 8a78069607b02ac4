from typing import Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from meetops.core.schemas import Input, Pagination
from meetops.core.web import AuthedRequest
from meetops.people.models import User
from meetops.people.selectors import find_people

router = Router(tags=["people"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    roles: list[str]
    language: str


@router.get("/me", response=MeOut, summary="The user the token belongs to")
def me(request: AuthedRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=user.pk,
        username=user.username,
        display_name=str(user),
        email=user.email,
        roles=sorted(user.held_role_codes),
        language=user.language,
    )


class PersonFound(Schema):
    id: int
    username: str
    display_name: str
    department: str
    name_pinyin: str

    @staticmethod
    def resolve_display_name(obj: User) -> str:
        return str(obj)

    @staticmethod
    def resolve_department(obj: User) -> str:
        return obj.department.name if obj.department else ""


class PeopleFilter(Input):
    q: str = Field("", max_length=100)
    ordering: Literal["pinyin", "strokes"] = "pinyin"


@router.get("/people", response=list[PersonFound], summary="Find people (the people picker)")
@paginate(Pagination)
def people(request: AuthedRequest, filters: Query[PeopleFilter]) -> QuerySet[User]:
    """Active people by name, user name or pinyin (wangfang, wang f, wf → 王芳); name order."""
    return find_people(filters.q, ordering=filters.ordering)
