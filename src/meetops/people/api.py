from typing import Literal

from django.db.models import QuerySet
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from meetops.core.errors import NotFound, ValidationFailed
from meetops.core.schemas import DbId, Input, Pagination
from meetops.core.web import AuthedRequest
from meetops.people import services
from meetops.people.models import Department, DepartmentHead, User
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


class HeadOut(Schema):
    user_id: int
    display_name: str
    source: str = Field(description='The directory that names them; "" when an admin chose them')


class HeadsIn(Input):
    user_ids: list[DbId] = Field([], max_length=50)


def _department(department_id: int) -> Department:
    found = Department.objects.filter(pk=department_id).first()
    if found is None:
        raise NotFound()
    return found


def _heads(department: Department) -> list[HeadOut]:
    rows = (
        DepartmentHead.objects.filter(department=department, user__is_active=True)
        .select_related("user")
        .order_by("user__name_pinyin", "user__username")
    )
    return [HeadOut(user_id=r.user_id, display_name=str(r.user), source=r.source) for r in rows]


@router.get(
    "/departments/{int:department_id}/heads",
    response=list[HeadOut],
    summary="The heads (部门负责人) of a department",
)
def department_heads(request: AuthedRequest, department_id: int) -> list[HeadOut]:
    return _heads(_department(department_id))


@router.put(
    "/departments/{int:department_id}/heads",
    response=list[HeadOut],
    summary="Choose the heads of a department (administrators)",
)
def set_department_heads(
    request: AuthedRequest, department_id: int, payload: HeadsIn
) -> list[HeadOut]:
    department = _department(department_id)
    people = list(User.objects.filter(pk__in=payload.user_ids, is_active=True))
    if len(people) != len(set(payload.user_ids)):
        raise ValidationFailed(gettext("Unknown user."), "unknown_user", field="user_ids")
    services.set_department_heads(department, heads=people, actor=request.user)
    return _heads(department)
