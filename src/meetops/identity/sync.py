"""Directory sync: one engine for every provider that can list people (issue 11, item 5).

    run = start_sync(provider, actor=admin, dry_run=True)   # a SyncRun with its report

Departments first (created, renamed, moved, reordered; those the provider no longer lists
are marked gone, never deleted), then people (created, updated, linked to an existing account
by e-mail or mobile; conflicts reported, not guessed), then leavers: people linked to the
provider whom it no longer lists, or lists as disabled, are deactivated — their history kept
and their open work listed for reassignment.

Running it twice changes nothing the second time. A dry run does exactly the same work inside
a transaction that is rolled back, so its plan is what a real run would do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied
from meetops.identity.models import ExternalDepartment, ExternalIdentity, SyncRun
from meetops.identity.providers import DepartmentAttributes, PersonAttributes, Provider
from meetops.identity.services import (
    _normal_mobile,
    conflict_message,
    deactivate_person,
    match_person,
    mobile_index,
    reactivate_person,
    upsert_person,
)
from meetops.people import services as people_services
from meetops.people.models import Department, User
from meetops.people.services import rebuild_department_paths

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 10


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


@dataclass
class Report:
    """What a sync did (or, dry, would do). Stored on the SyncRun as JSON."""

    departments_created: list[dict[str, Any]] = field(default_factory=list)
    departments_updated: list[dict[str, Any]] = field(default_factory=list)
    departments_gone: list[dict[str, Any]] = field(default_factory=list)
    people_created: list[dict[str, Any]] = field(default_factory=list)
    people_updated: list[dict[str, Any]] = field(default_factory=list)
    people_deactivated: list[dict[str, Any]] = field(default_factory=list)
    people_reactivated: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    # What the provider wants the admin to know (fields its permissions withhold, …).
    notes: list[dict[str, Any]] = field(default_factory=list)
    # Department heads the provider named on its departments, added or removed (ADR 0022).
    heads_changed: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "departments_created": len(self.departments_created),
            "departments_updated": len(self.departments_updated),
            "departments_gone": len(self.departments_gone),
            "people_created": len(self.people_created),
            # A person switched back on counts as updated.
            "people_updated": len(self.people_updated) + len(self.people_reactivated),
            "people_deactivated": len(self.people_deactivated),
            "conflicts": len(self.conflicts),
            "failures": len(self.failures),
        }

    def as_json(self) -> dict[str, Any]:
        return dict(audit._jsonable(self.__dict__))


def summary_line(counts: dict[str, int]) -> str:
    """The one line the CLI prints (a contract: scripts read it)."""
    c = {k: counts.get(k, 0) for k in Report().counts()}
    return (
        f"departments: +{c['departments_created']} ~{c['departments_updated']} "
        f"-{c['departments_gone']}; people: +{c['people_created']} ~{c['people_updated']} "
        f"deactivated {c['people_deactivated']}; conflicts {c['conflicts']}"
    )


# --- entry points -----------------------------------------------------------------------------


def _new_run(
    provider: Provider,
    actor: User | None,
    dry_run: bool,
    department_ids: Sequence[str],
    status: str,
) -> SyncRun:
    """A run of `provider`, refused while another one is queued or running."""
    _require_can_sync(provider)
    with transaction.atomic():
        _refuse_if_running(provider)
        run = SyncRun.objects.create(
            provider=provider.key,
            dry_run=dry_run,
            status=status,
            department_ids=list(department_ids),
            started_by=actor,
        )
        audit.record(
            "identity.sync.started",
            run,
            actor=actor,
            data={"dry_run": dry_run, "department_ids": list(department_ids)},
            new_stream=True,
        )
        return run


def queue_sync(
    provider: Provider, *, actor: User, dry_run: bool = False, department_ids: Sequence[str] = ()
) -> SyncRun:
    """Ask the worker to sync `provider` (the page's button). Admins only."""
    if not actor.is_admin:
        raise PermissionDenied()
    return _new_run(provider, actor, dry_run, department_ids, SyncRun.Status.QUEUED)


def start_sync(
    provider: Provider,
    *,
    actor: User | None,
    dry_run: bool = False,
    department_ids: Sequence[str] = (),
) -> SyncRun:
    """Sync `provider` now, in this process (the CLI, the scheduled job). Returns the run."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied()
    run = _new_run(provider, actor, dry_run, department_ids, SyncRun.Status.RUNNING)
    return execute(run, provider)


def claim_queued() -> SyncRun | None:
    """Take the oldest queued run for this worker (compare-and-set: one worker gets it)."""
    for run in SyncRun.objects.filter(status=SyncRun.Status.QUEUED).order_by("pk")[:5]:
        claimed = SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.QUEUED).update(
            status=SyncRun.Status.RUNNING, started_at=timezone.now()
        )
        if claimed:
            run.refresh_from_db()
            return run
    return None


def _require_can_sync(provider: Provider) -> None:
    if not provider.can_sync:
        raise DomainError(
            _("%(provider)s cannot list people for directory sync.") % {"provider": provider.label},
            "sync_unsupported",
            provider=provider.key,
        )


def _refuse_if_running(provider: Provider) -> None:
    busy = SyncRun.objects.filter(
        provider=provider.key,
        status__in=[SyncRun.Status.QUEUED, SyncRun.Status.RUNNING],
        started_at__gte=timezone.now() - timedelta(hours=2),
    )
    if busy.exists():
        raise DomainError(
            _("A sync of this directory is already running."),
            "sync_running",
            provider=provider.key,
        )


def execute(run: SyncRun, provider: Provider) -> SyncRun:
    """Do the run: fill its report and counts, mark it succeeded or failed."""
    report = Report()
    actor = run.started_by

    def progress(done: int, total: int) -> None:
        if not run.dry_run:
            SyncRun.objects.filter(pk=run.pk).update(done=done, total=total)

    status, error = SyncRun.Status.SUCCEEDED, ""
    try:
        if run.dry_run:
            try:
                with transaction.atomic():
                    _sync(provider, run.department_ids, actor, report, progress)
                    raise _DryRun
            except _DryRun:
                pass
        else:
            _sync(provider, run.department_ids, actor, report, progress)
    except DomainError as exc:
        status, error = SyncRun.Status.FAILED, str(exc.message)
    except Exception as exc:
        logger.exception("directory sync of %s failed", provider.key)
        status, error = SyncRun.Status.FAILED, f"{type(exc).__name__}: {exc}"
    counts = report.counts()
    with transaction.atomic():
        run.status, run.error = status, error[:2000]
        run.finished_at = timezone.now()
        run.counts, run.report = counts, report.as_json()
        run.save(update_fields=["status", "error", "finished_at", "counts", "report"])
        if not run.dry_run:
            audit.record(
                "identity.sync.finished", run, actor=actor, data={"status": status, **counts}
            )
    return run


# --- the engine -------------------------------------------------------------------------------


def _sync(
    provider: Provider,
    selected: Sequence[str],
    actor: User | None,
    report: Report,
    progress: Callable[[int, int], None],
) -> None:
    departments = list(provider.list_departments())
    scope = _subtrees(departments, selected)
    _sync_departments(provider, departments, scope, full=not selected, actor=actor, report=report)
    people = list(provider.list_people(department_ids=sorted(scope) if selected else ()))
    if selected:
        people = [p for p in people if scope.intersection(p.department_ids)]
    report.notes.extend({"message": str(note)} for note in provider.sync_notes())
    progress(0, len(people))
    mobiles = mobile_index()
    seen: set[str] = set()
    for done, attrs in enumerate(people, start=1):
        seen.add(attrs.external_id)
        _sync_person(provider, attrs, actor=actor, report=report, mobiles=mobiles)
        if done % PROGRESS_EVERY == 0 or done == len(people):
            progress(done, len(people))
    _sync_heads(provider, departments, scope, actor=actor, report=report)
    _deactivate_leavers(provider, seen, scope if selected else None, actor=actor, report=report)


def sync_departments(provider: Provider, *, actor: User | None) -> Report:
    """Only the department tree (added and changed units; none marked gone)."""
    report = Report()
    departments = list(provider.list_departments())
    scope = {d.external_id for d in departments}
    _sync_departments(provider, departments, scope, full=False, actor=actor, report=report)
    _sync_heads(provider, departments, scope, actor=actor, report=report)
    return report


def sync_person(provider: Provider, attrs: PersonAttributes, *, actor: User | None) -> Report:
    """One person now, as the provider describes them (a change event): created, updated,
    moved between departments, switched off when listed as disabled, back on when listed
    again. The same steps as a full sync, for one person."""
    report = Report()
    _sync_person(provider, attrs, actor=actor, report=report, mobiles=mobile_index())
    return report


def person_left(provider: Provider, external_id: str, *, actor: User | None) -> Report:
    """The provider says this person left: deactivate them as a full sync would."""
    report = Report()
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider.key, external_id=external_id, user__is_active=True)
        .first()
    )
    if link is not None:
        _deactivate(link.user, provider, actor=actor, report=report, reason="left")
    return report


def department_gone(provider: Provider, external_id: str) -> Report:
    """The provider deleted a department: mark it gone (the department itself stays)."""
    report = Report()
    link = (
        ExternalDepartment.objects.select_related("department")
        .filter(provider=provider.key, external_id=external_id, gone_at__isnull=True)
        .first()
    )
    if link is not None:
        ExternalDepartment.objects.filter(pk=link.pk).update(gone_at=timezone.now())
        report.departments_gone.append(
            {"id": external_id, "name": link.department.name, "department": link.department_id}
        )
    return report


def _subtrees(departments: list[DepartmentAttributes], selected: Sequence[str]) -> set[str]:
    """The selected departments and everything below them (all ids when none is selected)."""
    if not selected:
        return {d.external_id for d in departments}
    children: dict[str, list[str]] = {}
    for d in departments:
        children.setdefault(d.parent_id, []).append(d.external_id)
    scope: set[str] = set()
    stack = list(selected)
    while stack:
        current = stack.pop()
        if current in scope:
            continue
        scope.add(current)
        stack.extend(children.get(current, []))
    return scope


def _parents_first(departments: list[DepartmentAttributes]) -> list[DepartmentAttributes]:
    by_id = {d.external_id: d for d in departments}

    def depth(d: DepartmentAttributes) -> int:
        n, seen = 0, set()
        while d.parent_id in by_id and d.parent_id not in seen:
            seen.add(d.parent_id)
            d = by_id[d.parent_id]
            n += 1
        return n

    return sorted(departments, key=lambda d: (depth(d), d.order, d.name))


def _sync_departments(
    provider: Provider,
    departments: list[DepartmentAttributes],
    scope: set[str],
    *,
    full: bool,
    actor: User | None,
    report: Report,
) -> None:
    links = {
        link.external_id: link
        for link in ExternalDepartment.objects.select_related("department").filter(
            provider=provider.key
        )
    }
    moved = False
    for item in _parents_first([d for d in departments if d.external_id in scope]):
        parent_link = links.get(item.parent_id)
        parent = parent_link.department if parent_link else None
        try:
            with transaction.atomic():
                link = links.get(item.external_id)
                if link is None:
                    links[item.external_id] = _create_department(
                        provider, item, parent, actor=actor, report=report
                    )
                else:
                    moved |= _update_department(link, item, parent, actor=actor, report=report)
        except Exception as exc:  # one bad unit must not stop the rest
            logger.exception("department %s of %s", item.external_id, provider.key)
            report.failures.append({"department": item.name, "message": str(exc)})
    if moved:
        rebuild_department_paths()
    if full:
        listed = {d.external_id for d in departments}
        for ext_id, link in links.items():
            if ext_id not in listed and link.gone_at is None:
                ExternalDepartment.objects.filter(pk=link.pk).update(gone_at=timezone.now())
                report.departments_gone.append(
                    {"id": ext_id, "name": link.department.name, "department": link.department_id}
                )


def _sync_heads(
    provider: Provider,
    departments: list[DepartmentAttributes],
    scope: set[str],
    *,
    actor: User | None,
    report: Report,
) -> None:
    """The heads a provider names on its departments (Feishu's `leader_user_id`), for the
    people already linked; providers that name heads on people do it in `upsert_person`."""
    named = [d for d in departments if d.external_id in scope and d.head_ids is not None]
    if not named:
        return
    links = dict(
        ExternalDepartment.objects.filter(
            provider=provider.key, external_id__in=[d.external_id for d in named]
        ).values_list("external_id", "department_id")
    )
    people = dict(
        ExternalIdentity.objects.filter(
            provider=provider.key,
            external_id__in={i for d in named for i in d.head_ids or ()},
            user__is_active=True,
        ).values_list("external_id", "user_id")
    )
    wanted = {
        (links[d.external_id], people[i])
        for d in named
        if d.external_id in links
        for i in d.head_ids or ()
        if i in people
    }
    with transaction.atomic():
        report.heads_changed += people_services.sync_department_heads(
            source=provider.key,
            wanted=wanted,
            departments=[links[d.external_id] for d in named if d.external_id in links],
            actor=actor,
        )


def _create_department(
    provider: Provider,
    item: DepartmentAttributes,
    parent: Department | None,
    *,
    actor: User | None,
    report: Report,
) -> ExternalDepartment:
    # A department an admin made by hand with the same name and parent is the same one.
    dept = (
        Department.objects.filter(name=item.name, parent=parent)
        .exclude(external_links__provider=provider.key)
        .first()
    )
    if dept is None:
        dept = Department.objects.create(name=item.name, parent=parent, order=item.order)
        dept.path = f"{parent.path if parent else '/'}{dept.pk}/"
        dept.save(update_fields=["path"])
        audit.record(
            "identity.department.created",
            dept,
            actor=actor,
            data={"provider": provider.key, "external_id": item.external_id},
        )
        report.departments_created.append(
            {"id": item.external_id, "name": item.name, "parent": parent.name if parent else ""}
        )
    return ExternalDepartment.objects.create(
        provider=provider.key,
        external_id=item.external_id,
        department=dept,
        raw=audit._jsonable(dict(item.raw)),
        last_synced_at=timezone.now(),
    )


def _update_department(
    link: ExternalDepartment,
    item: DepartmentAttributes,
    parent: Department | None,
    *,
    actor: User | None,
    report: Report,
) -> bool:
    """Rename, move and reorder; True when the department moved (paths to rebuild)."""
    dept = Department.objects.select_for_update().get(pk=link.department_id)
    changes: dict[str, list[Any]] = {}
    if dept.name != item.name:
        changes["name"] = [dept.name, item.name]
        dept.name = item.name
    if dept.parent_id != (parent.pk if parent else None):
        changes["parent"] = [str(dept.parent or ""), str(parent or "")]
        dept.parent = parent
    if dept.order != item.order:
        changes["order"] = [dept.order, item.order]
        dept.order = item.order
    if changes:
        dept.save(update_fields=[{"parent": "parent"}.get(k, k) for k in changes])
        audit.record("identity.department.updated", dept, actor=actor, changes=changes)
        report.departments_updated.append(
            {"id": item.external_id, "name": item.name, "changes": changes}
        )
    ExternalDepartment.objects.filter(pk=link.pk).update(
        gone_at=None, last_synced_at=timezone.now(), raw=audit._jsonable(dict(item.raw))
    )
    link.department = dept
    return "parent" in changes


def _sync_person(
    provider: Provider,
    attrs: PersonAttributes,
    *,
    actor: User | None,
    report: Report,
    mobiles: dict[str, list[int]],
) -> None:
    who = {"external_id": attrs.external_id, "username": attrs.username, "name": attrs.display_name}
    match = match_person(provider, attrs, mobiles=mobiles)
    if match.how == "conflict":
        report.conflicts.append(
            {
                **who,
                "reason": match.reason,
                "message": conflict_message(match),
                "candidates": match.candidates,
            }
        )
        return
    if match.user is None and not attrs.active:
        return  # nobody to create: the directory has them switched off
    try:
        with transaction.atomic():
            done = upsert_person(
                provider=provider, attrs=attrs, actor=actor, login=False, mobiles=mobiles
            )
            user = done.user
            if done.how == "created":
                report.people_created.append({**who, "user": user.pk})
                if user.phone:
                    mobiles.setdefault(_mobile_key(user.phone), []).append(user.pk)
            elif done.changes:
                report.people_updated.append({**who, "user": user.pk, "changes": done.changes})
            link = ExternalIdentity.objects.get(
                provider=provider.key, external_id=attrs.external_id
            )
            if not attrs.active and user.is_active:
                _deactivate(user, provider, actor=actor, report=report, reason="disabled")
            elif attrs.active and not user.is_active and link.left_at is not None:
                reactivate_person(user, actor=actor, provider=provider.key)
                report.people_reactivated.append({**who, "user": user.pk})
    except DomainError as exc:
        report.failures.append({**who, "code": exc.code, "message": str(exc.message)})
    except Exception as exc:
        logger.exception("person %s of %s", attrs.external_id, provider.key)
        report.failures.append({**who, "message": str(exc)})


def _mobile_key(phone: str) -> str:
    return _normal_mobile(phone)


def _deactivate_leavers(
    provider: Provider,
    seen: set[str],
    scope: set[str] | None,
    *,
    actor: User | None,
    report: Report,
) -> None:
    """Switch off the provider's people it no longer lists (within the selected subtrees)."""
    links = ExternalIdentity.objects.filter(provider=provider.key, user__is_active=True).exclude(
        external_id__in=seen
    )
    if scope is not None:
        depts = ExternalDepartment.objects.filter(provider=provider.key, external_id__in=scope)
        dept_ids = list(depts.values_list("department_id", flat=True))
        links = links.filter(
            Q(user__department_id__in=dept_ids)
            | Q(user__department_memberships__department_id__in=dept_ids)
        ).distinct()
    leavers = list(links.select_related("user"))
    if leavers and not seen:
        # An empty listing is far likelier a broken filter than everyone leaving at once.
        report.failures.append(
            {
                "code": "empty_directory",
                "message": str(_("The directory listed nobody; no one was deactivated.")),
            }
        )
        return
    for link in leavers:
        _deactivate(link.user, provider, actor=actor, report=report, reason="left")


def _deactivate(
    user: User, provider: Provider, *, actor: User | None, report: Report, reason: str
) -> None:
    with transaction.atomic():
        if not deactivate_person(user, actor=actor, reason=reason, provider=provider.key):
            return
    report.people_deactivated.append(
        {
            "user": user.pk,
            "username": user.username,
            "name": str(user),
            "reason": reason,
            "open_work": open_work(user),
        }
    )


def open_work(user: User) -> dict[str, list[dict[str, Any]]]:
    """What a leaver leaves behind for someone else: open action items, upcoming meetings
    they organise, decisions waiting for them. Titles and links, for reassignment."""
    # Upper apps, read here only when someone leaves.
    from meetops.core.inbox import waiting_for
    from meetops.meetings.models import Meeting, Stage
    from meetops.meetings.selectors import managed_by
    from meetops.minutes.models import ActionItem, ActionState

    items = ActionItem.objects.filter(
        owner=user, state__in=[ActionState.OPEN, ActionState.IN_PROGRESS]
    ).order_by("due_date", "pk")[:50]
    meetings = (
        Meeting.objects.filter(managed_by(user), start__gte=timezone.now())
        .filter(stage__in=[Stage.DRAFT, Stage.PREPARING, Stage.READY])
        .order_by("start")[:50]
    )
    waiting = waiting_for(user)[:50]
    return {
        "action_items": [
            {"title": a.title, "url": reverse("followup:item", args=[a.pk])} for a in items
        ],
        "meetings": [
            {"title": m.title, "url": reverse("meeting_detail", args=[m.pk])} for m in meetings
        ],
        "approvals": [{"title": f"{w.label}: {w.title}", "url": w.url} for w in waiting],
    }
