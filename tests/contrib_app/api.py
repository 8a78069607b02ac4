from django.http import HttpRequest
from ninja import Router

router = Router(tags=["contract test"])


@router.get("/contrib/ping", response=dict[str, bool])
def ping(request: HttpRequest) -> dict[str, bool]:
    return {"ok": True}
