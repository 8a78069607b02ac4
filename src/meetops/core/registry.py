"""The app contract: one registry of named stores that every app adds to (docs/adr/0009).

Each app declares what it adds to the whole in its own `contributions.py`, imported by
`discover()` when core is ready. The hubs (`config/api.py`, `config/urls.py`, the menu, the
meeting page, "Waiting for me", the archive, the scheduler) loop over these stores and name
no app. Adding an app is its folder plus one line in `INSTALLED_APPS`.

    from meetops.core.registry import MenuEntry, registry

    registry["menu"].register("rooms", MenuEntry(label=_("Rooms"), url_name="venues_room_list",
                                                 order=80, area="rooms"))

Like netbox's registry the set of stores is fixed; like pretix's plugin registry a store
refuses a key that is already taken, naming the key and both owners, so two apps can never
silently replace each other's job, rule or menu entry.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules, import_string

if TYPE_CHECKING:
    from django.db.models import Q, QuerySet

    from meetops.core.archive import Found
    from meetops.core.inbox import WaitingItem
    from meetops.core.models import AuditEntry
    from meetops.people.models import User  # the AUTH_USER_MODEL, for typing only

# The meetings app's Meeting, one layer up: core hands it along and never names it
# (docs/architecture.md, Layers). Any, so an app's predicate may take its real Meeting.
Meeting = Any

T = TypeVar("T")


class AlreadyRegistered(ImproperlyConfigured):
    """A second contribution under a key that another (or the same) app already holds."""


def owner_of(module: str) -> str:
    """The label of the installed app a module belongs to (the module's top package otherwise)."""
    if apps.apps_ready:
        config = apps.get_containing_app_config(module)
        if config is not None:
            return config.label
    parts = module.split(".")
    return parts[1] if parts[0] == "meetops" and len(parts) > 1 else parts[0]


def calling_owner(depth: int = 2) -> str:
    """The owner of the code `depth` frames up: who called the registering helper."""
    return owner_of(str(sys._getframe(depth).f_globals.get("__name__", "?")))


class Store(dict[str, T], Generic[T]):
    """One kind of contribution, by key. Reads like a dict; writes go through `register`."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.owners: dict[str, str] = {}

    def register(self, key: str, value: T, *, owner: str | None = None) -> T:
        """Add `value` under `key`; raises AlreadyRegistered when the key is taken."""
        owner = owner or calling_owner()
        if key in self:
            raise AlreadyRegistered(
                f"{self.name}: {key!r} is already registered by {self.owners.get(key, '?')!r}; "
                f"{owner!r} cannot register it again"
            )
        super().__setitem__(key, value)
        self.owners[key] = owner
        return value

    def unregister(self, key: str) -> T:
        """Remove a contribution (tests that register a temporary one)."""
        self.owners.pop(key, None)
        return super().pop(key)

    def __setitem__(self, key: str, value: T) -> None:
        self.register(key, value, owner=calling_owner())

    def pop(self, key: str, *default: Any) -> Any:
        self.owners.pop(key, None)
        return super().pop(key, *default)

    def ordered(self) -> list[T]:
        """The values by their `order` (then key): the order hubs show them in."""
        keyed = sorted(self.items(), key=lambda kv: (getattr(kv[1], "order", 0), kv[0]))
        return [value for _key, value in keyed]


class Registry(dict[str, Store[Any]]):
    """The fixed set of stores. Stores can be read and added to, never added or removed."""

    def __getitem__(self, key: str) -> Store[Any]:
        try:
            return super().__getitem__(key)
        except KeyError:
            raise KeyError(f"Invalid store: {key}") from None

    def __setitem__(self, key: str, value: Store[Any]) -> None:
        raise TypeError("Cannot add stores to the registry after initialisation")

    def __delitem__(self, key: str) -> None:
        raise TypeError("Cannot delete stores from the registry")


# --- what an app can contribute ------------------------------------------------------------

MeetingPredicate = Callable[["User", "Meeting", bool], bool]
UserPredicate = Callable[["User"], bool]


@dataclass(frozen=True)
class ApiRouter:
    """A ninja Router, by dotted path, mounted under /api/v1/<prefix> when the API is built.
    Ninja matches in mount order, so `order` keeps paths that overlap apart."""

    prefix: str
    router: str  # "meetops.agenda.api.router": imported by config/api.py, not at start-up
    order: int


@dataclass(frozen=True)
class UrlInclude:
    """A URLconf module included under `prefix` (e.g. "meetings/"); resolved in order."""

    prefix: str
    module: str
    order: int


@dataclass(frozen=True)
class MenuEntry:
    """A link in the main menu. `area` is the `nav_area` that marks it as the current page:
    its own page, and pages whose URL name starts with one of `pages` (a view may also set
    `nav_area` itself). `badge` names a page fragment with the entry's count, loaded after
    the page (htmx), so that no page pays for the count in its own queries."""

    label: str | Promise
    url_name: str
    order: int
    area: str = ""
    visible: UserPredicate | None = None
    pages: tuple[str, ...] = ()
    badge: str = ""


@dataclass(frozen=True)
class TemplateSlot:
    """A template included into a slot of a page: the toolbar of core's page frame, or a
    named slot of a page (`{% page_slot "rsvp.after_answer" %}`) that a lower app offers
    and a higher one fills."""

    template: str
    order: int
    slot: str = ""


@dataclass(frozen=True)
class MeetingLink:
    """A template included on the meeting page: links in "actions", a card in "panels".

    `visible(user, meeting, can_manage)` decides whether it shows; the template gets the
    meeting page's context. `group` is the area of the meeting's life the links of "actions"
    belong to ("prepare", "during", "after", "archive"): the page groups them so a person
    sees first the area of the meeting's stage; a link with no group is shown under "More".
    """

    template: str
    order: int
    slot: str = "actions"
    visible: MeetingPredicate | None = None
    group: str = ""


@dataclass(frozen=True)
class InboxSource:
    """A source of "Waiting for me" (core.inbox, ADR 0021): what waits on `user` (a decision,
    an answer, a task), in one query whatever the number of rows.

    `many`, when given, answers for many people at once in a fixed number of queries whatever
    their number (the daily digest), exactly as `collect` would for each: `{user.pk: items}`.
    Without it `collect_many` asks `collect` person by person.
    """

    collect: Callable[[User, int], list[WaitingItem]]
    order: int
    many: Callable[[Sequence[User], int], Mapping[int, list[WaitingItem]]] | None = None

    def collect_many(self, users: Sequence[User], limit: int) -> dict[int, list[WaitingItem]]:
        # One person costs what `collect` costs: pages (badge, dashboard) keep their counts.
        if self.many is None or len(users) < 2:
            return {user.pk: self.collect(user, limit) for user in users}
        found = self.many(users, limit)
        return {user.pk: list(found.get(user.pk, [])) for user in users}


@dataclass(frozen=True)
class ArchiveSource:
    """What filing a meeting collects from an app: the files it has for the meeting.

    `collect` is the dotted path of a `(meeting, actor) -> Iterator[Found]` function, imported
    when a meeting is filed: sources import the exports (spreadsheets, PDFs), which start-up
    should not pay for."""

    collect: str
    order: int

    def load(self) -> Callable[[Meeting, User], Iterator[Found]]:
        return import_string(self.collect)


@dataclass(frozen=True)
class MeetingHook:
    """What an app adds to a meeting's life, called by the meetings app, which names no app.

    - `on_created(meeting)`: inside the transaction that creates the meeting (policy copies
      the current process's steps onto it).
    - `blocking(meeting, stage, actor)`: inside a forward stage change, under the meeting's
      row lock: what of `stage` still stops the meeting leaving it, as rows with `pk`,
      `clause` and `title` (policy: the open required steps). Any row refuses the change
      unless an organiser overrides it with a reason.
    - `page_context(user, meeting)`: what the meeting page shows of the app, merged into the
      page's context once per render, for its `meeting_links` templates to read.
    - `on_rescheduled(meeting, old_start, old_end, actor) -> [text]`: inside the transaction
      that moved the meeting's time, under its row lock, in `order` (venues moves the rooms
      before policy re-judges the steps): what the app made follow, and above all what could
      not follow, as sentences for the person who moved it. Raising rolls the move back.
    - `place(meeting) -> bool`: the app knows where the meeting takes place (venues: a
      confirmed room booking for its time), so a plan without a written place is complete.
    - `not_coming()`: a filter (`Q`) on participants who said they will not come (invitations:
      declined, or sent a substitute, who is a participant of their own): reminders and the
      like leave them out (`meetings.selectors.expected_participants`).
    """

    order: int
    on_created: Callable[[Meeting], None] | None = None
    blocking: Callable[[Meeting, str, User | None], list[Any]] | None = None
    page_context: Callable[[User, Meeting], dict[str, Any]] | None = None
    on_rescheduled: Callable[[Meeting, Any, Any, User | None], list[str]] | None = None
    place: Callable[[Meeting], bool] | None = None
    not_coming: Callable[[], Q] | None = None


@dataclass(frozen=True)
class AuditScope:
    """Limits the audit log to what `user` may read: `limit(user, entries) -> entries`.

    Every registered scope narrows the same queryset, in order."""

    limit: Callable[[User, QuerySet[AuditEntry]], QuerySet[AuditEntry]]
    order: int


@dataclass(frozen=True)
class SearchSource:
    """A place people can search, with the page that searches it."""

    label: str | Promise
    url_name: str
    order: int
    visible: UserPredicate | None = None


@dataclass(frozen=True)
class MessageDecision:
    """A decision that waits on one person, offered as buttons on that person's personal
    message (work IM cards, issue 12 item 5). Registered by the app that owns the decision,
    under a stable kind ("budget") that the button carries back with `ref`.

    - `events`: the notification events whose messages offer the buttons;
    - `ref(message) -> str`: the row the message asks about, as text the button carries
      (its id and version), or "" when this message offers nothing to decide; `message` is
      the outbox row (`event`, `meeting_id`, `url`, `user`);
    - `decide(ref, *, actor, approve, comment)`: calls the service the page calls, with the
      person who pressed the button as the actor (so their permissions apply); raises the
      service's DomainError, or one saying the card is out of date;
    - `decided(ref) -> (approved, by whom) | None`: how it stands once decided, to tell a
      second presser who decided first;
    - `answer`: "approve" (Approve / Return) or "accept" (Accept / Decline).
    """

    events: tuple[str, ...]
    ref: Callable[[Any], str]
    decide: Callable[..., Any]
    decided: Callable[[str], tuple[bool, str] | None]
    answer: str = "approve"


@dataclass(frozen=True)
class SearchIndex:
    """A kind of object kept in `core.textsearch`: `rebuild()` re-indexes them all, returns the count."""

    kind: str
    rebuild: Callable[[], int]


registry = Registry(
    {
        name: Store(name)
        for name in (
            "api_routers",
            "urls",
            "menu",
            "toolbar",
            "meeting_links",
            "inbox",
            "archive",
            "jobs",
            "completion_rules",
            "events",
            "audit_labels",
            "demo",
            "search",
            "search_index",
            "audit_scope",
            "page_slots",
            "meeting_hooks",
            "metrics",
            "message_decisions",
        )
    }
)

_discovered = False


def discover() -> None:
    """Import every installed app's `contributions` module, once (core's `ready()`)."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("contributions")


def visible(entry: MenuEntry | SearchSource, user: User) -> bool:
    return entry.visible is None or bool(entry.visible(user))


def has_role(*codes: str) -> UserPredicate:
    """A predicate for entries shown to people with any of these roles."""

    def check(user: User) -> bool:
        return bool(set(codes) & set(user.role_codes))

    return check
