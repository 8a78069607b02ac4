from ninja import Router, Schema

from meetops.core.web import AuthedRequest

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
