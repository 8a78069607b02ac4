"""A refused form keeps what was typed (issue 16: "no form loses input").

Most small forms (a reason, a note, a comment, a code, a date and a reason) post from a detail
page that shows several of them; when the input or the service refuses, the error boundary
sends the person back to that page with the message (core.boundary), and the page used to
render every form empty. Instead of each view learning to re-render its page with a bound form,
the boundary keeps the posted text in the session (`keep`), and the next render of that page
puts it back into the form that posted it (`restore`, called by the boundary's middleware):
each field's value, the field's own error beside it, and a collapsed `<details>` opened.
Server-side, so it works without JavaScript.

Never kept: files, the CSRF token, anything named like a password, secret or token.

The kept input belongs to whoever posted it: the signed-in account, or, for an anonymous
visitor (a public registration or feedback form), the anonymous session, and only while it stays
anonymous. No page pays a query for it: a request with a session cookie has its session read
anyway (people.middleware asks it for the second factor), one without has nothing kept.

Where to go back: the `Referer`, or, when a browser or a privacy setting sends none, the page
the form says it was rendered on (`BACK_FIELD`, which `{% csrf_token %}` adds to every form of
a full page; core.templatetags.forms).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from meetops.core.errors import DomainError

SESSION_KEY = "meetops.refill"
# The page a form was rendered on, posted with it (see the module's docstring).
BACK_FIELD = "meetops_back"
# Long enough for a page of notes; what goes beyond stays out of the session.
MAX_VALUE = 20_000
_SECRET = re.compile(r"pass|secret|token|csrf", re.IGNORECASE)
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.IGNORECASE | re.DOTALL)
_ACTION = re.compile(r"""\baction=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_TEXT_TYPES = {"text", "date", "datetime-local", "time", "number", "email", "tel", "url", "search"}
_DETAILS = re.compile(
    r"<details\b(?![^>]*\bopen\b)([^>]*)>(\s*<summary\b.*?</summary>\s*)$", re.I | re.S
)


def keep(request: HttpRequest, exc: DomainError, back: str) -> None:
    """Remember the refused POST's text for the page at `back`."""
    session = getattr(request, "session", None)
    if session is None:
        return
    values = {
        name: [v for v in request.POST.getlist(name) if len(v) <= MAX_VALUE]
        for name in request.POST
        if not _SECRET.search(name) and name != BACK_FIELD
    }
    problems = exc.details.get("problems") or []
    errors = {str(p["field"]): str(p["problem"]) for p in problems if "field" in p}
    session[SESSION_KEY] = {
        "action": request.path,
        "back": urlsplit(back).path,
        "values": values,
        "errors": errors,
        "owner": _owner(request),
    }


def back_field(request: HttpRequest) -> str | None:
    """The page the posted form says it came from, when that is a path on this site."""
    back = request.POST.get(BACK_FIELD, "") if request.method == "POST" else ""
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return None


def _signed_in(request: HttpRequest) -> bool:
    return bool(getattr(getattr(request, "user", None), "is_authenticated", False))


def _owner(request: HttpRequest) -> int | None:
    """Whose input it is: the account's id; None for the anonymous session's own visitor."""
    return request.user.pk if _signed_in(request) else None


def restore(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put kept input back into the page that asked for it; forget it after one page."""
    session = getattr(request, "session", None)
    if session is None or request.method != "GET" or SESSION_KEY not in session:
        return response
    htmx = getattr(request, "htmx", None)
    if (htmx and not htmx.boosted) or response.streaming or response.status_code != 200:
        return response
    if not response.get("Content-Type", "").startswith("text/html"):
        return response
    kept: dict[str, Any] = session.pop(SESSION_KEY)
    # Never someone else's input: signed in since, signed out since, another account.
    if kept.get("back") != request.path or kept.get("owner") != _owner(request):
        return response
    page = response.content.decode(response.charset or "utf-8")
    response.content = fill_page(page, kept).encode(response.charset or "utf-8")
    return response


def fill_page(page: str, kept: dict[str, Any]) -> str:
    """The page with the form that posted to `kept["action"]` filled again."""
    action = kept["action"]

    def refill(match: re.Match[str]) -> str:
        form = match.group(0)
        start_tag = form[: form.index(">") + 1]
        found = _ACTION.search(start_tag)
        target = urlsplit(html.unescape(found.group(2))).path if found else kept["back"]
        if target != action:
            return form
        return _fill_form(form, kept["values"], kept["errors"])

    filled = _FORM.sub(refill, page)
    if filled == page:
        return page
    # A form that was refilled shows itself, even when it lives in a closed <details>.
    return _open_details(filled)


def _fill_form(form: str, values: dict[str, list[str]], errors: dict[str, str]) -> str:
    for name, posted in values.items():
        if not posted:
            continue
        form = _fill_field(form, name, posted, errors.get(name))
    return form.replace("<form", '<form data-refilled="1"', 1)


def _name(name: str) -> str:
    quoted = re.escape(html.escape(name))
    return rf"""\bname=(?:"{quoted}"|'{quoted}')"""


def _fill_field(form: str, name: str, posted: list[str], error: str | None) -> str:
    value = posted[-1]
    textarea = re.compile(rf"(<textarea\b[^>]*{_name(name)}[^>]*>)(.*?)(</textarea>)", re.I | re.S)
    if match := textarea.search(form):
        tag = _invalid(match.group(1)) if error else match.group(1)
        filled = f"{tag}\n{html.escape(value)}{match.group(3)}"
        return form[: match.start()] + filled + _error(name, error) + form[match.end() :]
    select = re.compile(rf"(<select\b[^>]*{_name(name)}[^>]*>)(.*?)(</select>)", re.I | re.S)
    if match := select.search(form):
        options = re.sub(r"\sselected\b(=\"selected\")?", "", match.group(2))
        for chosen in posted:
            options = re.sub(
                rf"""(<option\b[^>]*\bvalue=(["']){re.escape(html.escape(chosen))}\2)""",
                r"\1 selected",
                options,
            )
        tag = _invalid(match.group(1)) if error else match.group(1)
        filled = f"{tag}{options}{match.group(3)}"
        return form[: match.start()] + filled + _error(name, error) + form[match.end() :]
    inputs = re.compile(rf"<input\b[^>]*{_name(name)}[^>]*>", re.I | re.S)
    last = None
    for match in inputs.finditer(form):
        kind = re.search(r"""\btype=(["'])(.*?)\1""", match.group(0), re.I)
        kind_name = kind.group(2).lower() if kind else "text"
        if kind_name in _TEXT_TYPES:
            return _with_value(form, match, value, error, name)
        if kind_name in ("checkbox", "radio"):
            last = match
    if last is not None:
        return _checked(form, name, posted)
    return form


def _with_value(form: str, match: re.Match[str], value: str, error: str | None, name: str) -> str:
    tag = re.sub(r"""\svalue=(["']).*?\1""", "", match.group(0), flags=re.S)
    tag = tag[:-1].rstrip("/ ") + f' value="{html.escape(value)}">'
    if error:
        tag = _invalid(tag)
    return form[: match.start()] + tag + _error(name, error) + form[match.end() :]


def _checked(form: str, name: str, posted: list[str]) -> str:
    def tick(match: re.Match[str]) -> str:
        tag = re.sub(r"\schecked\b(=\"checked\")?", "", match.group(0))
        found = re.search(r"""\bvalue=(["'])(.*?)\1""", tag, re.S)
        if found and html.unescape(found.group(2)) in posted:
            tag = tag[:-1].rstrip("/ ") + " checked>"
        return tag

    return re.sub(rf"<input\b[^>]*{_name(name)}[^>]*>", tick, form, flags=re.I | re.S)


def _invalid(tag: str) -> str:
    tag = re.sub(r"""\saria-invalid=(["']).*?\1""", "", tag)
    return tag[:-1] + ' aria-invalid="true">'


def _error(name: str, error: str | None) -> str:
    if not error:
        return ""
    return (
        f'<ul class="errorlist" data-field="{html.escape(name)}"><li>{html.escape(error)}</li></ul>'
    )


def _open_details(page: str) -> str:
    marker = '<form data-refilled="1"'
    index = page.find(marker)
    if index < 0:
        return page
    before = page[:index]
    match = _DETAILS.search(before)
    if match is None:
        return page
    opened = f"<details open{match.group(1)}>{match.group(2)}"
    return before[: match.start()] + opened + page[index:]
