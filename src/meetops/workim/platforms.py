"""Work IM platforms (WeCom, DingTalk, Feishu/Lark) behind one interface (issue 12).

A platform is a subclass of `Platform` registered once by the subpackage that implements it
(`workim/wecom/`, `workim/dingtalk/`, `workim/feishu/`):

    register_platform(WeCom)

Everything that is the same for all three lives here and in `http.py` / `config.py`: the
settings each needs (environment first, else the admin page), the access token kept in the
shared cache and refreshed on the platform's invalid-token codes, and the shapes MeetOps
passes around — `PersonalMessage` out, `Event` in. The views (`views.py`), the notification
channel (`channel.py`) and directory sync (each platform's `directory.py`) speak only to this
interface and name no platform.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetops.core.errors import NotFound
from meetops.workim.links import absolute

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

# How often a request is sent again with a fresh token after an invalid-token answer
# (reference §0: refresh and retry, at most 3 times).
TOKEN_RETRIES = 3

EVENT_KINDS = (
    "user_created",
    "user_updated",
    "user_left",
    "department_created",
    "department_updated",
    "department_deleted",
    "card_action",
)


@dataclass(frozen=True)
class Field:
    """One setting a platform needs: read from `env` when set, else from the admin page."""

    name: str
    env: str
    label: str | Promise
    secret: bool = False
    # A default makes the field optional (the API hosts: the real ones by default).
    default: str = ""
    required: bool = True
    help: str | Promise = ""


@dataclass(frozen=True)
class CardAction:
    """A button on an interactive message. `key` comes back in the callback (with `value`)."""

    key: str
    label: str
    # "primary" | "danger" | "default": each platform maps it to its own button styles.
    style: str = "default"
    # What the callback carries back besides the key, e.g. {"kind": "budget", "id": 5,
    # "version": 3}: treat it as a request and check everything again (reference §4).
    value: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonalMessage:
    """One message to one person, already in their language.

    `url` is absolute and opens the right MeetOps page, signing the person in silently.
    `dedupe_key` is the same for every attempt at one outbox message (DingTalk drops a second
    identical text to one person in a day while saying it sent it: the text must vary, and
    platforms that take a request id use this one).
    """

    title: str
    text: str
    url: str = ""
    language: str = ""
    actions: tuple[CardAction, ...] = ()
    dedupe_key: str = ""


@dataclass(frozen=True)
class TodoSpec:
    """An action item as its owner's to-do on the platform (todos.py).

    `due` is a date (the platforms get it as an all-day due time); `url` is absolute and opens
    the item, signing the person in; `key` is the same for every attempt at one item and person
    (platforms that deduplicate a create by a request id use it).
    """

    title: str
    description: str = ""
    due: date | None = None
    done: bool = False
    url: str = ""
    key: str = ""


@dataclass(frozen=True)
class Event:
    """Something a platform told MeetOps by callback, decrypted and verified.

    `kind` is one of EVENT_KINDS. `data` holds, for people, `user_id` (and `new_user_id` when
    the id changed); for departments, `department_id`; for a card action, `user_id`, `action`
    (the CardAction key), `value`, and what the platform needs to update the card
    (`response_code`, `token`, `message_id` …) and `message_key`, the outbox row the card came
    from (whose recipient's language the card's update speaks). `id` identifies the event for deduplication
    ("" when the platform gives nothing usable).
    """

    kind: str
    data: Mapping[str, Any]
    id: str = ""

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")


@dataclass(frozen=True)
class CardOutcome:
    """What became of a card action, for the platform to show on the card (and toast)."""

    ok: bool
    text: str
    code: str = ""
    # The question is answered (by this action or an earlier one): the card shows `text` in
    # place of its buttons. An action refused for another reason leaves the buttons.
    settled: bool = False
    # The language `text` is in (the card's recipient's): the platform writes its own words
    # on the card (a link's label) in it too.
    language: str = ""


@dataclass(frozen=True)
class CalendarEntry:
    """A meeting as a platform's calendar shows it (issue 12 item 6): times are aware
    datetimes, `url` opens the meeting in MeetOps (signing the person in), `attendees` are
    the platform user ids of the linked invitees, sorted."""

    title: str
    description: str
    start: datetime
    end: datetime
    location: str
    url: str
    time_zone: str
    attendees: tuple[str, ...] = ()


class PlatformCalendar:
    """One platform's calendar API, as the calendar sync (calendars.py) uses it.

    Every method raises `notifications.senders.Retry` / `Permanent` with the platform's
    code, like `send_personal`. `create` must be safe to repeat with the same
    `idempotency_key` (the platform dedupes); a platform that cannot dedupe says so with
    `idempotent_create = False`, and a create that got no answer is then held as unconfirmed
    for a person to look at (the outbox's rule for messages), never repeated blindly.
    """

    idempotent_create: ClassVar[bool] = True

    def create(self, entry: CalendarEntry, *, idempotency_key: str) -> tuple[str, str]:
        """Make the event (without attendees); (calendar id, event id)."""
        raise NotImplementedError

    def update(self, calendar_id: str, event_id: str, entry: CalendarEntry) -> None:
        raise NotImplementedError

    def delete(self, calendar_id: str, event_id: str) -> None:
        """Cancel the event; an event the platform no longer knows counts as deleted."""
        raise NotImplementedError

    def add_attendees(
        self, calendar_id: str, event_id: str, user_ids: Sequence[str], *, entry: CalendarEntry
    ) -> None:
        """Add `user_ids`; `entry.attendees` is everyone the event should have in the end
        (for platforms that set the whole list at once)."""
        raise NotImplementedError

    def remove_attendees(
        self, calendar_id: str, event_id: str, user_ids: Sequence[str], *, entry: CalendarEntry
    ) -> None:
        raise NotImplementedError


class CallbackRefused(Exception):
    """A callback that is forged, replayed, expired or not meant for us: answered 403."""

    def __init__(self, message: str, code: str = "callback_refused") -> None:
        super().__init__(message)
        self.code = code


class Platform:
    """The interface each work IM platform implements.

    Subclasses set the class attributes and implement `fetch_token` and the methods that say
    "not supported" by default. Instances are cheap: they read their settings through
    `config.value()` on use, so a value saved on the admin page applies at once.
    """

    key: ClassVar[str] = ""
    label: ClassVar[str | Promise] = ""
    fields: ClassVar[tuple[Field, ...]] = ()
    # The field names of the app's id and secret: the token's cache key (reference §0).
    app_id_field: ClassVar[str] = ""
    secret_field: ClassVar[str] = ""
    supports_cards: ClassVar[bool] = False
    # Puts meetings into its calendar (`calendar()` gives the API; calendars.py).
    offers_calendar: ClassVar[bool] = False
    # The platform's answer codes: refresh the token / slow down / the person is unknown.
    invalid_token_codes: ClassVar[frozenset[int]] = frozenset()
    throttle_codes: ClassVar[frozenset[int]] = frozenset()
    # The identity provider type registered for directory sync ("" when none).
    directory_provider: ClassVar[str] = ""
    # The URL name of a page to give the platform's console as the app's home (workbench),
    # which signs people in from inside the client ("" when the login address serves).
    in_app_page: ClassVar[str] = ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key!r}>"

    def home_page_url(self) -> str:
        """The address to paste into the platform's console as the app's home page, for the
        settings page ("" when the platform has no in-app page)."""
        return absolute(reverse(self.in_app_page)) if self.in_app_page else ""

    # --- settings ---------------------------------------------------------------------------

    def value(self, name: str) -> str:
        """The setting `name` (environment, else saved on the admin page, else its default)."""
        # config reads the model; platforms.py stays importable before the apps are ready.
        from meetops.workim import config

        return config.value(self.key, name)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.key} has no setting {name!r}")

    def missing(self) -> list[Field]:
        """The required settings that have no value."""
        return [f for f in self.fields if f.required and not self.value(f.name)]

    def configured(self) -> bool:
        return not self.missing()

    # --- access token -----------------------------------------------------------------------

    def credentials(self, which: str = "") -> tuple[str, str]:
        """(app id, secret) for the token `which` names ("" = the app's own)."""
        return self.value(self.app_id_field), self.value(self.secret_field)

    def token_cache_key(self, which: str = "") -> str:
        app_id, secret = self.credentials(which)
        digest = hashlib.sha256(f"{self.key}\n{app_id}\n{secret}".encode()).hexdigest()[:32]
        return f"workim:token:{self.key}:{digest}"

    def token(self, which: str = "", *, refresh: bool = False) -> str:
        """The access token, from the shared cache (one per app and secret across workers);
        fetched again when missing, expired, or `refresh` (after an invalid-token answer)."""
        key = self.token_cache_key(which)
        if not refresh:
            cached = cache.get(key)
            if cached:
                return str(cached)
        token, expires_in = self.fetch_token(which)
        # Ten seconds early: a token must not expire between the cache and the platform.
        cache.set(key, token, max(int(expires_in) - 10, 1))
        return token

    def forget_token(self, which: str = "") -> None:
        cache.delete(self.token_cache_key(which))

    def fetch_token(self, which: str = "") -> tuple[str, int]:
        """Ask the platform for a new token: (token, expires_in seconds)."""
        raise NotImplementedError

    # --- messages ---------------------------------------------------------------------------

    def send_personal(self, *, platform_user_id: str, message: PersonalMessage) -> str:
        """Send one message to one person; returns the platform's message id.

        Raises `notifications.senders.Retry` (throttled, unreachable) or `Permanent` (unknown
        person, bad configuration) with the platform's error code in `.code`."""
        raise NotImplementedError

    def update_card(self, *, event: Event, outcome: CardOutcome) -> None:
        """Show the outcome on the card the person clicked (later, through the API)."""
        raise NotImplementedError

    def card_reply(self, request: HttpRequest, event: Event, outcome: CardOutcome) -> HttpResponse:
        """The answer to a card callback: by default, the platform's plain acknowledgement."""
        return self.event_reply(request, [event])

    # --- to-dos (todos.py) ------------------------------------------------------------------

    # Whether the platform has a to-do API a self-built app may use (WeCom has none).
    supports_todos: ClassVar[bool] = False
    # A create the platform deduplicates by `TodoSpec.key`: after a timeout it is simply sent
    # again; otherwise a create without an answer waits for a person (unconfirmed).
    idempotent_todo_create: ClassVar[bool] = False

    def todo_assignee(self, user_id: str, raw: Mapping[str, Any]) -> str:
        """The id the to-do API knows the person by (`raw` is what directory sync kept)."""
        return user_id

    def create_todo(self, *, assignee: str, todo: TodoSpec) -> str:
        """Create the person's to-do; the platform's task id. Raises Retry / Permanent."""
        raise NotImplementedError

    def update_todo(self, *, assignee: str, task_id: str, todo: TodoSpec) -> None:
        """Make the to-do say what `todo` says (title, due date, done or not)."""
        raise NotImplementedError

    def delete_todo(self, *, assignee: str, task_id: str) -> None:
        """Remove the to-do; one the platform no longer has counts as removed."""
        raise NotImplementedError

    def calendar(self) -> PlatformCalendar | None:
        """The platform's calendar API (when `offers_calendar`); may raise `Permanent` when a
        setting it needs is unusable."""
        return None

    # --- sign-in ----------------------------------------------------------------------------

    def in_app(self, request: HttpRequest) -> bool:
        """True when the page is opened inside the platform's own client (silent sign-in)."""
        return False

    def authorize_url(self, *, state: str, redirect_uri: str, qr: bool) -> str:
        """Where the browser goes to sign in: the QR page, or the in-app silent authorisation."""
        raise NotImplementedError

    def user_id_from_code(self, code: str) -> str:
        """The person's platform user id for the code the authorisation came back with.

        Raises CallbackRefused when the platform does not confirm the code."""
        raise NotImplementedError

    def app_url(self, url: str) -> str:
        """The link to put in a message for `url` (a MeetOps path or address) so that it opens
        signed in: by default through `/im/<platform>/login/?next=…`."""
        # views own the URL names; the import waits until a link is needed.
        from meetops.workim.links import silent_login_url

        return silent_login_url(self.key, url)

    # --- callbacks --------------------------------------------------------------------------

    def parse_event(self, request: HttpRequest) -> list[Event]:
        """Verify (signature, time window, replay) and decrypt a callback; its events.

        Raises CallbackRefused on forged, replayed or expired input. A URL check (WeCom's GET
        echostr, Feishu's url_verification) returns [] and `event_reply` answers it."""
        raise NotImplementedError

    def event_reply(self, request: HttpRequest, events: Sequence[Event]) -> HttpResponse:
        """What the platform expects back (WeCom: the echostr or an empty 200; Feishu: the
        challenge; DingTalk: the encrypted "success")."""
        return HttpResponse("")

    # --- directory --------------------------------------------------------------------------

    def person(self, user_id: str) -> Any:
        """The person as the directory describes them now (a `PersonAttributes`), or None
        when the platform no longer knows them: change events re-read the person."""
        return None

    def department(self, department_id: str) -> Any:
        """The department as the directory describes it now (`DepartmentAttributes`) or None."""
        return None


# --- the registry ------------------------------------------------------------------------------

_platforms: dict[str, type[Platform]] = {}


def register_platform(platform_cls: type[Platform]) -> type[Platform]:
    """Declare a platform (once per key). Usable as a class decorator."""
    key = platform_cls.key
    if not key:
        raise ImproperlyConfigured(f"{platform_cls.__name__} has no key")
    if key in _platforms and _platforms[key] is not platform_cls:
        raise ImproperlyConfigured(
            f"work IM platform {key!r} is already registered as {_platforms[key].__name__}"
        )
    _platforms[key] = platform_cls
    return platform_cls


def platforms() -> dict[str, Platform]:
    """Every registered platform by key, configured or not (the admin page lists them all)."""
    return {key: cls() for key, cls in _platforms.items()}


def configured_platforms() -> dict[str, Platform]:
    return {key: p for key, p in platforms().items() if p.configured()}


def get_platform(key: str, *, configured: bool = False) -> Platform:
    """The platform under `key`; NotFound when there is none (or, `configured`, when it has
    no settings yet)."""
    cls = _platforms.get(key)
    platform = cls() if cls is not None else None
    if platform is None or (configured and not platform.configured()):
        raise NotFound(
            _("There is no work IM platform %(key)s.") % {"key": key},
            "unknown_platform",
            platform=key,
        )
    return platform
