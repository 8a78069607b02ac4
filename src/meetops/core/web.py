"""Small helpers the server-rendered pages share: htmx fragments and paginated lists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError, ValidationFailed

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from meetops.people.models import User


def htmx_template(request: HttpRequest, page: str, fragment: str) -> str:
    """The fragment for an htmx request (not a boosted page load), else the whole page."""
    htmx = getattr(request, "htmx", None)
    return fragment if htmx and not htmx.boosted else page


class CountingUpTo(Paginator):
    """A paginator that counts no further than `up_to` rows (`capped` says it stopped there).

    For lists that can hold a hundred thousand rows (search): counting them all costs more
    than the page itself, and a person reads "more than 1000" as well as the exact number."""

    def __init__(self, items: QuerySet[Any], per_page: int, *, up_to: int) -> None:
        super().__init__(items, per_page)
        self.items = items
        self.up_to = up_to

    @cached_property
    def count(self) -> int:
        # Unordered: which rows are counted does not matter, and an order would join and sort.
        return int(self.items.order_by()[: self.up_to + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > self.up_to


def paginated(
    request: HttpRequest, items: QuerySet[Any], per_page: int, *, count_up_to: int | None = None
) -> dict[str, Any]:
    """`page` for the `?page=` asked for, and `query`: the other parameters, for page links.

    `count_up_to`: count at most that many rows (or as far as the page asked for, so that
    every page that exists can be reached); the templates then say "more than N"."""
    query = request.GET.copy()
    query.pop("page", None)
    number = request.GET.get("page")
    paginator: Paginator[Any] = Paginator(items, per_page)
    if count_up_to is not None:
        asked = int(number) if number and number.isdigit() and len(number) < 7 else 1
        paginator = CountingUpTo(items, per_page, up_to=max(count_up_to, asked * per_page))
    return {"page": paginator.get_page(number), "query": query.urlencode()}


def form_error_text(form: forms.BaseForm) -> str:
    """Every error of a bound form in one line, each after its field's label."""
    lines = []
    for name, errors in form.errors.items():
        text = " ".join(str(error) for error in errors)
        label = form.fields[name].label if name in form.fields else None
        lines.append(f"{label}: {text}" if label else text)
    return "; ".join(lines)


def cleaned(form: forms.BaseForm) -> dict[str, Any]:
    """The form's cleaned data; if it is not valid, a `ValidationFailed` the error boundary shows.

    For forms posted from a page that shows no form errors of its own (buttons and
    one-field forms on a detail page): the person goes back to the page with the message,
    and the form there gets the typed text back with each field's error (core.refill).
    """
    if not form.is_valid():
        raise ValidationFailed(
            form_error_text(form),
            "invalid_input",
            fields=sorted(form.errors.keys()),
            # Each field's own error, shown beside it when the page gets the input back
            # (core.refill); the message above names every field.
            problems=[
                {"field": name, "problem": " ".join(str(e) for e in errors)}
                for name, errors in form.errors.items()
            ],
        )
    return form.cleaned_data


def saved_text(saved: Model, message: str) -> str:
    """`message`, or "Nothing changed." when the edit service that returned `saved` found the
    values as they were and wrote nothing (`audit.note_outcome`)."""
    return _("Nothing changed.") if audit.nothing_changed(saved) else message


def say_saved(request: HttpRequest, saved: Model, message: str = "") -> None:
    """Flash `saved_text(saved, message)`: "Nothing changed." as information, not success
    (without a `message`, only that)."""
    if audit.nothing_changed(saved):
        messages.info(request, saved_text(saved, message))
    elif message:
        messages.success(request, message)


@contextmanager
def errors_onto(form: forms.BaseForm, *, field: str | None = None) -> Iterator[None]:
    """Put a `DomainError` raised inside onto the form, beside the field(s) it names.

    For the few views that render their form again when a service refuses it, so
    the person's input survives; every other refusal goes to the error boundary
    (core.boundary). `field` is where an error naming no field of the form goes (None:
    above the form). After the block, `form.errors` tells whether it failed::

        with errors_onto(form):
            services.do(..., **form.cleaned_data)
            return redirect(...)
        return render(request, "page.html", {"form": form}, status=422)
    """
    try:
        yield
    except DomainError as exc:
        if exc.status in (403, 404):  # not about the input: the boundary's page says so
            raise
        reasons = {p["field"]: p["problem"] for p in exc.details.get("problems") or []}
        if reasons:  # each reason beside its own field (core.validation.fields_refused)
            for name, problem in reasons.items():
                if name in form.fields:
                    form.add_error(name, problem)
            if any(name not in form.fields for name in reasons):
                form.add_error(field, str(exc.message))
        else:
            named = exc.details.get("fields") or [exc.details.get("field")]
            fields = [name for name in named if name in form.fields] or [field]
            for name in fields:
                form.add_error(name, str(exc.message))
        for row in (exc.details.get("rows") or [])[:200]:  # an error about many rows names each
            if "message" in row:
                form.add_error(None, str(row["message"]))


class AuthedRequest(HttpRequest):
    """A request whose user has signed in: an API call (token or session) or a login-required view.

    Only for type checking; the object at run time is Django's request.
    """

    user: User
    # Set on every request by django_htmx's middleware (settings.MIDDLEWARE).
    htmx: HtmxDetails
