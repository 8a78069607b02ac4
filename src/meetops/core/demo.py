"""The demo organisation: a registry of loaders that apps add to.

`meetops demo` runs every registered loader, in order, inside one transaction.
An app contributes its part of the demo by adding a `demo.py` module (found
automatically when the demo loads, like `admin.py`: it imports every service,
which start-up should not pay for) with a decorated function:

    from meetops.core.demo import DemoContext, demo_loader

    @demo_loader("venues", order=40)
    def load_rooms(ctx: DemoContext) -> None:
        room = ...
        ctx.objects["room:main"] = room

Loaders share a `DemoContext`: the people, departments and meetings made by
earlier loaders are there by key (`ctx.users["wangfang"]`,
`ctx.meetings["budget_review"]`). Order: people 10, meetings 50; an app that
needs meetings to exist uses a higher number, one that meetings should use
(rooms) a lower one.

Loaders write through the services, as a person would, so the demo's audit
log and process steps look like real use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from meetops.core.registry import Meeting, Store, owner_of, registry

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from meetops.people.models import User  # the AUTH_USER_MODEL, for typing only

DEMO_PASSWORD = "meetops-demo"  # noqa: S105 - the published demo password

# Shown by `meetops serve --announce`; every one of these exists after `meetops demo`.
DEMO_LOGINS = {
    "password": DEMO_PASSWORD,
    "users": [
        ("admin", "system admin"),
        ("wangfang", "organiser (办公室)"),
        ("liming", "leader (approver)"),
        ("zhaomin", "archivist"),
        ("chenjing", "staff"),
        ("liuyang", "member"),
    ],
}


@dataclass
class DemoContext:
    """What the loaders made so far, by key, and when "now" is for the whole demo."""

    now: datetime
    users: dict[str, User] = field(default_factory=dict)
    # People's departments and contacts, one layer up: core keeps them without naming them.
    departments: dict[str, Any] = field(default_factory=dict)
    contacts: dict[str, Any] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        self.log.append(line)


DemoLoader = Callable[[DemoContext], None]


@dataclass(frozen=True)
class _Registered:
    name: str
    order: int
    load: DemoLoader


# The core registry's "demo" store: a loader name registered twice is refused.
_loaders: Store[_Registered] = registry["demo"]


def demo_loader(name: str, *, order: int = 100) -> Callable[[DemoLoader], DemoLoader]:
    """Register `load(ctx)` as part of the demo. A name already registered is refused."""

    def register(load: DemoLoader) -> DemoLoader:
        _loaders.register(name, _Registered(name, order, load), owner=owner_of(load.__module__))
        return load

    return register


EvidenceProvider = Callable[["Meeting", "User"], None]
_evidence: dict[str, EvidenceProvider] = {}


def demo_evidence(rule: str) -> Callable[[EvidenceProvider], EvidenceProvider]:
    """Register how the demo produces the evidence an automatic step's rule looks for.

    The meetings loader walks each demo meeting through its stages as a person
    would; when a step completes from evidence (a confirmed booking, an agenda,
    invitations sent) it asks the app that owns the rule to make that evidence.
    """

    def register(provide: EvidenceProvider) -> EvidenceProvider:
        _evidence[rule] = provide
        return provide

    return register


def provide_evidence(rule: str, meeting: Meeting, actor: User) -> None:
    """Make the evidence for `rule` on `meeting`, if an app knows how. Refusals are left to the caller."""
    discover()
    provide = _evidence.get(rule)
    if provide is not None:
        provide(meeting, actor)


def registered_loaders() -> list[tuple[str, int]]:
    discover()
    return [(r.name, r.order) for r in sorted(_loaders.values(), key=lambda r: (r.order, r.name))]


def discover() -> None:
    """Import every installed app's `demo` module so its loaders register."""
    autodiscover_modules("demo")


def demo_is_loaded() -> bool:
    """True when the database already has people: the demo only loads into an empty one."""
    return get_user_model().objects.exists()


def load_demo(*, stdout: SupportsWrite[str] | None = None) -> DemoContext:
    """Run every registered loader in order, in one transaction: all of the demo or none."""
    discover()
    ctx = DemoContext(now=timezone.now().replace(second=0, microsecond=0))
    with transaction.atomic():
        for registered in sorted(_loaders.values(), key=lambda r: (r.order, r.name)):
            registered.load(ctx)
            if stdout is not None:
                stdout.write(f"  {registered.name}: loaded\n")
    return ctx
