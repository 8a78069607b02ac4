"""DingTalk's in-app silent sign-in (免登, reference §2.3).

The page given to DingTalk's console as the app's home (workbench, H5 微应用) loads
DingTalk's JSAPI (served by MeetOps, `scripts/fetch_assets.py`) and `workim/dingtalk_app.js`.
Inside the client the script asks the container for an authCode (`dd.getAuthCode`, or
`dd.runtime.permission.requestAuthCode` in older clients) and posts it back here, with the
CSRF token (the flow has no `state`); MeetOps turns it into the userid
(`topapi/v2/user/getuserinfo`), signs in the account directory sync linked to it and goes to
`next`. Outside the client, without a corp id, or when the container refuses, the page offers
the usual DingTalk sign-in (`/im/dingtalk/login/`, the OAuth page).

The JSAPI needs the organisation's corp id: `MEETOPS_DINGTALK_CORP_ID`, or else the `corpid`
of the page's address, which links in messages carry as `$CORPID$` for the DingTalk client to
fill in (`DingTalk.app_url`).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetops.core.errors import DomainError, NotFound
from meetops.workim import services
from meetops.workim.dingtalk.platform import CORP_ID_PARAM, DingTalk
from meetops.workim.platforms import CallbackRefused, Platform, get_platform
from meetops.workim.views import safe_next, sign_in, sign_in_refused

# An authCode lives five minutes; one seen here is never exchanged again.
CODE_SECONDS = 10 * 60
# What a corp id may look like ("ding" and hex): the unfilled "$CORPID$" of a link opened
# outside DingTalk, or anything else, is no corp id.
CORP_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@never_cache
@require_http_methods(["GET", "POST"])
def app_page(request: HttpRequest) -> HttpResponse:
    """GET: the page that signs in with the JSAPI. POST: the authCode it got."""
    found = get_platform("dingtalk", configured=True)
    if not isinstance(found, DingTalk):
        raise NotFound()
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST":
        return _exchange(request, found, next_url)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    return _page(request, found, next_url)


def _exchange(request: HttpRequest, found: DingTalk, next_url: str) -> HttpResponse:
    code, user_id = request.POST.get("code", "").strip(), ""
    try:
        if not code or not services.claim_once("dingtalk-code", code, seconds=CODE_SECONDS):
            raise CallbackRefused("no code, or one used before", "bad_code")
        user_id = found.user_id_from_jsapi_code(code)
        user = services.linked_person(found, user_id)
    except (CallbackRefused, DomainError) as exc:
        refusal = sign_in_refused(found, exc, user_id=user_id)
        return _page(request, found, next_url, refusal=refusal, status=403)
    sign_in(request, found, user)
    return HttpResponseRedirect(next_url)


def _page(
    request: HttpRequest, found: Platform, next_url: str, *, refusal: str = "", status: int = 200
) -> HttpResponse:
    fallback = f"{reverse('workim_login', args=[found.key])}?{urlencode({'next': next_url})}"
    context = {
        "corp_id": found.value("corp_id") or _corp_id_of(request),
        "next": next_url,
        "fallback": fallback,
        "refusal": refusal,
    }
    return render(request, "workim/dingtalk_app.html", context, status=status)


def _corp_id_of(request: HttpRequest) -> str:
    """The corp id the DingTalk client put into the link in place of `$CORPID$`; "" when
    there is none."""
    value = request.GET.get(CORP_ID_PARAM, "").strip()
    return value if CORP_ID.fullmatch(value) else ""
