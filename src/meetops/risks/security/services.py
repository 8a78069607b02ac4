"""Every write to the security plan (P3.7): save, submit, decide; and a reported security
incident recorded as a risk event.

Like the emergency plan: writes lock the meeting, then the plan; an approved plan that is
changed goes back to draft (its approval was of other posts or another list); a submitted
plan waits for its decision unchanged. Everything is on the meeting's audit stream.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.validation import (
    choice_problem,
    date_problem,
    fields_refused,
    in_window,
    required_problem,
)
from meetops.live.models import SupportTicket, TicketCategory
from meetops.meetings.models import Meeting, Participant, ParticipantStatus
from meetops.people.models import User
from meetops.risks import errors
from meetops.risks.models import (
    DEFAULT_BADGE,
    AccessKind,
    BadgeColour,
    DoorEntry,
    PlanStatus,
    Risk,
    RiskEvent,
    SecurityPlan,
    SecurityPost,
)
from meetops.risks.permissions import can_approve_plan, can_edit_risks
from meetops.risks.security import selectors
from meetops.risks.security.decisions import SECURITY
from meetops.risks.security.notify import security_plan_submitted, tell_guards
from meetops.risks.services import TEXT_LIMIT, _lock_meeting, record_risk_event

TEXTS = ("entry_checks", "restricted_areas")


@dataclass(frozen=True)
class _Cleaned:
    posts: list[dict[str, Any]] | None
    door_list: list[dict[str, Any]] | None


def _text(value: Any) -> str:
    return str(value or "").strip()


def _clean_posts(
    rows: Sequence[Mapping[str, Any]], people: dict[int, Participant], problems: dict[str, str]
) -> list[dict[str, Any]]:
    cleaned = []
    for i, row in enumerate(rows):
        key = f"posts[{i}]"
        place, duty = _text(row.get("place")), _text(row.get("duty"))
        start, end = row.get("start"), row.get("end")
        for name, value, limit in (("place", place, 200), ("duty", duty, 500)):
            if not value:
                problems[f"{key}.{name}"] = required_problem()
            elif len(value) > limit:
                problems[f"{key}.{name}"] = _("At most %(n)d characters.") % {"n": limit}
        for name, when in (("start", start), ("end", end)):
            if not isinstance(when, datetime) or timezone.is_naive(when):
                problems[f"{key}.{name}"] = _("Give the time with its time zone.")
            elif not in_window(when):
                problems[f"{key}.{name}"] = date_problem()
        if (
            isinstance(start, datetime)
            and isinstance(end, datetime)
            and f"{key}.start" not in problems
            and f"{key}.end" not in problems
            and end <= start
        ):
            problems[f"{key}.end"] = _("The post must end after it starts.")
        guard_ids = list(dict.fromkeys(row.get("guard_ids") or []))
        if any(g not in people for g in guard_ids):
            problems[f"{key}.guard_ids"] = _("Choose guards among the people on this meeting.")
        cleaned.append(
            {
                "id": row.get("id"),
                "place": place,
                "duty": duty,
                "start": start,
                "end": end,
                "guards": guard_ids,
            }
        )
    return cleaned


def _clean_door_list(
    rows: Sequence[Mapping[str, Any]], people: dict[int, Participant], problems: dict[str, str]
) -> list[dict[str, Any]]:
    cleaned, seen = [], set()
    for i, row in enumerate(rows):
        key = f"door_list[{i}]"
        name, organisation = _text(row.get("name")), _text(row.get("organisation"))
        kind = row.get("kind") or AccessKind.NORMAL
        colour = row.get("badge_colour") or DEFAULT_BADGE.get(kind, BadgeColour.BLUE)
        participant_id = row.get("participant_id")
        if not name:
            problems[f"{key}.name"] = required_problem()
        elif len(name) > 150:
            problems[f"{key}.name"] = _("At most %(n)d characters.") % {"n": 150}
        elif (name.casefold(), organisation.casefold()) in seen:
            problems[f"{key}.name"] = _("This person is already on the door list.")
        if len(organisation) > 200:
            problems[f"{key}.organisation"] = _("At most %(n)d characters.") % {"n": 200}
        if kind not in AccessKind.values:
            problems[f"{key}.kind"] = choice_problem()
        if colour not in BadgeColour.values:
            problems[f"{key}.badge_colour"] = choice_problem()
        if participant_id is not None and participant_id not in people:
            problems[f"{key}.participant_id"] = _("Choose a person on this meeting.")
        seen.add((name.casefold(), organisation.casefold()))
        cleaned.append(
            {
                "id": row.get("id"),
                "name": name,
                "organisation": organisation,
                "kind": kind,
                "badge_colour": colour,
                "participant_id": participant_id,
            }
        )
    return cleaned


def _clean(
    meeting: Meeting,
    texts: dict[str, str],
    posts: Sequence[Mapping[str, Any]] | None,
    door_list: Sequence[Mapping[str, Any]] | None,
) -> _Cleaned:
    """Refuse what the plan cannot hold, naming each field (`posts[0].end`) and why."""
    problems: dict[str, str] = {
        name: _("At most %(n)d characters.") % {"n": TEXT_LIMIT}
        for name, value in texts.items()
        if len(value) > TEXT_LIMIT
    }
    people: dict[int, Participant] = {}
    if posts is not None or door_list is not None:
        active = Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE)
        people = {p.pk: p for p in active.only("pk")}
    clean_posts = _clean_posts(posts, people, problems) if posts is not None else None
    clean_door = _clean_door_list(door_list, people, problems) if door_list is not None else None
    if problems:
        raise fields_refused(
            _("The security plan was not saved."),
            "invalid_security_plan",
            problems,
            model=SecurityPlan,
            labels=_labels(problems),
        )
    return _Cleaned(clean_posts, clean_door)


def _labels(problems: Mapping[str, str]) -> dict[str, str]:
    """What a person calls `posts[1].end`: "Post 2: end"."""
    names = {
        "place": SecurityPost._meta.get_field("place").verbose_name,
        "duty": SecurityPost._meta.get_field("duty").verbose_name,
        "start": SecurityPost._meta.get_field("start").verbose_name,
        "end": SecurityPost._meta.get_field("end").verbose_name,
        "guard_ids": SecurityPost._meta.get_field("guards").verbose_name,
        "name": DoorEntry._meta.get_field("name").verbose_name,
        "organisation": DoorEntry._meta.get_field("organisation").verbose_name,
        "kind": DoorEntry._meta.get_field("kind").verbose_name,
        "badge_colour": DoorEntry._meta.get_field("badge_colour").verbose_name,
        "participant_id": _("person on the meeting"),
    }
    labels = {}
    for key in problems:
        head, dot, field = key.partition(".")
        if not dot:
            continue
        group, _bracket, index = head.rstrip("]").partition("[")
        what = _("Post %(n)d") if group == "posts" else _("Door list line %(n)d")
        labels[key] = f"{what % {'n': int(index) + 1}} · {names.get(field, field)}"
    return labels


def _locked_plan(meeting: Meeting, actor: User, *, allowed: bool) -> SecurityPlan | None:
    _lock_meeting(meeting, actor, allowed=allowed)
    return SecurityPlan.objects.select_for_update().filter(meeting=meeting).first()


def _snapshot(plan: SecurityPlan) -> dict[str, Any]:
    """What the audit compares: the texts, the status and every value of every line."""
    if not plan.pk:
        return {}
    posts = [
        f"{p.place} {p.start:%Y-%m-%d %H:%M}–{p.end:%H:%M} {p.duty} "
        f"({'、'.join(g.display_name for g in sorted(p.guards.all(), key=lambda g: g.pk))})"
        for p in plan.posts.prefetch_related("guards").order_by("start", "place", "id")
    ]
    door = [
        f"{e.name} {e.organisation} {e.kind} {e.badge_colour}"
        + (f" #{e.participant_id}" if e.participant_id else "")
        for e in plan.door_list.order_by("name", "id")
    ]
    return {
        "entry_checks": plan.entry_checks,
        "restricted_areas": plan.restricted_areas,
        "status": plan.status,
        "posts": posts,
        "door_list": door,
    }


def save_security_plan(
    meeting: Meeting,
    *,
    actor: User,
    entry_checks: str | None = None,
    restricted_areas: str | None = None,
    posts: Sequence[Mapping[str, Any]] | None = None,
    door_list: Sequence[Mapping[str, Any]] | None = None,
) -> SecurityPlan:
    """Write the plan; what is None stays as it is, a list given replaces the posts or the
    door list. Posts: {place, duty, start, end, guard_ids}; door list: {name, organisation,
    kind, badge_colour, participant_id}. An approved plan that is changed goes back to draft;
    a submitted one cannot be changed (`plan_state`)."""
    texts = {
        k: _text(v)
        for k, v in (("entry_checks", entry_checks), ("restricted_areas", restricted_areas))
        if v is not None
    }
    with transaction.atomic():
        plan = _locked_plan(meeting, actor, allowed=can_edit_risks(actor, meeting))
        if plan is not None and plan.status == PlanStatus.SUBMITTED:
            raise errors.security_plan_state(plan.status, "draft")
        cleaned = _clean(meeting, texts, posts, door_list)
        plan = plan or SecurityPlan(meeting=meeting)
        before = _snapshot(plan)
        for key, value in texts.items():
            setattr(plan, key, value)
        if plan.pk is None:
            plan.updated_by = actor
            plan.save()
        if cleaned.posts is not None:
            _sync_posts(plan, cleaned.posts)
        if cleaned.door_list is not None:
            _sync_door_list(plan, cleaned.door_list)
        changed = [key for key in texts if before.get(key) != texts[key]]
        # Nothing changed, nothing written: an approved plan stays approved, the log stays quiet.
        changes = audit.record_changes(
            "risks.security.saved", meeting, actor=actor, before=before, after=_snapshot(plan)
        )
        if changes:
            if plan.status == PlanStatus.APPROVED:
                plan.status = PlanStatus.DRAFT
                changed.append("status")
            plan.updated_by = actor
            plan.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit.note_outcome(plan, changes)
    plan.meeting = meeting
    return plan


def _lines_now(meeting: Meeting, part: str) -> list[dict[str, Any]]:
    plan = selectors.security_plan_of(meeting)
    return selectors.post_rows(plan) if part == "posts" else selectors.door_rows(plan)


def _save_lines(
    meeting: Meeting, actor: User, part: str, lines: list[dict[str, Any]]
) -> SecurityPlan:
    if part == "posts":
        return save_security_plan(meeting, actor=actor, posts=lines)
    return save_security_plan(meeting, actor=actor, door_list=lines)


def add_security_line(
    meeting: Meeting, *, actor: User, part: str, row: Mapping[str, Any]
) -> SecurityPlan:
    """Add one post (`part="posts"`) or door-list line (`part="door_list"`) to the plan as it
    is under the lock, so a line someone else added meanwhile stays. As `save_security_plan`."""
    with transaction.atomic():
        _locked_plan(meeting, actor, allowed=can_edit_risks(actor, meeting))
        return _save_lines(meeting, actor, part, [*_lines_now(meeting, part), dict(row)])


def remove_security_line(meeting: Meeting, *, actor: User, part: str, line_id: int) -> SecurityPlan:
    """Take one post or door-list line off the plan, the others as they are under the lock.
    NotFound when the line is not (or no longer) there."""
    with transaction.atomic():
        _locked_plan(meeting, actor, allowed=can_edit_risks(actor, meeting))
        lines = _lines_now(meeting, part)
        kept = [line for line in lines if line["id"] != line_id]
        if len(kept) == len(lines):
            raise NotFound()
        return _save_lines(meeting, actor, part, kept)


POST_VALUES = ("place", "duty", "start", "end")
DOOR_VALUES = ("name", "organisation", "kind", "badge_colour", "participant_id")


def _claim(
    rows: list[dict[str, Any]], lines: list[Any], same: Any, part: str
) -> list[tuple[dict[str, Any], Any]]:
    """Pair each row with the line it edits: by its `id`, else an unclaimed line `same` as it
    (so a list sent again without ids keeps its lines); None for a new line. An id that is not
    a line of this plan is refused rather than taken for a new line."""
    by_id = {line.pk: line for line in lines}
    ids = [row.get("id") for row in rows]
    unknown = {
        f"{part}[{i}].id": _("Not a line of this plan: reload the page.")
        for i, line_id in enumerate(ids)
        if line_id is not None and (line_id not in by_id or line_id in ids[:i])
    }
    if unknown:
        raise fields_refused(
            _("The security plan was not saved."), "invalid_security_plan", unknown
        )
    claimed = {row["id"] for row in rows if row.get("id") is not None}
    pairs = []
    for row in rows:
        line = by_id.get(row.get("id")) if row.get("id") is not None else None
        if line is None and row.get("id") is None:
            line = next((x for x in lines if x.pk not in claimed and same(x, row)), None)
        if line is not None:
            claimed.add(line.pk)
        pairs.append((row, line))
    return pairs


def _sync_posts(plan: SecurityPlan, rows: list[dict[str, Any]]) -> None:
    """The posts become `rows`, each line edited where it is: ids stay, removed lines go."""
    lines = list(plan.posts.prefetch_related("guards"))

    def guards(post: SecurityPost) -> list[int]:
        return sorted(g.pk for g in post.guards.all())

    def same(post: SecurityPost, row: dict[str, Any]) -> bool:
        values = all(getattr(post, k) == row[k] for k in POST_VALUES)
        return values and guards(post) == sorted(row["guards"])

    pairs = _claim(rows, lines, same, "posts")
    kept = {line.pk for _row, line in pairs if line is not None}
    SecurityPost.objects.filter(plan=plan).exclude(pk__in=kept).delete()
    for row, post in pairs:
        if post is None:
            post = SecurityPost.objects.create(plan=plan, **{k: row[k] for k in POST_VALUES})
            post.guards.set(row["guards"])
            continue
        edited = [k for k in POST_VALUES if getattr(post, k) != row[k]]
        for key in edited:
            setattr(post, key, row[key])
        if edited:
            post.save(update_fields=edited)
        if guards(post) != sorted(row["guards"]):
            post.guards.set(row["guards"])


def _sync_door_list(plan: SecurityPlan, rows: list[dict[str, Any]]) -> None:
    """The door list becomes `rows`, each line edited where it is. A person is one line
    (name and organisation are unique on the plan), so a line sent without an id is the one
    with its name and organisation."""
    lines = list(plan.door_list.all())

    def key(entry: Any) -> tuple[str, str]:
        name, organisation = (
            (entry["name"], entry["organisation"])
            if isinstance(entry, dict)
            else (entry.name, entry.organisation)
        )
        return name.casefold(), organisation.casefold()

    pairs = _claim(rows, lines, lambda e, row: key(e) == key(row), "door_list")
    kept = {line.pk for _row, line in pairs if line is not None}
    DoorEntry.objects.filter(plan=plan).exclude(pk__in=kept).delete()
    edits = [
        (row, entry, [k for k in DOOR_VALUES if getattr(entry, k) != row[k]])
        for row, entry in pairs
        if entry is not None
    ]
    # Renamed lines move after the lines that free their name: no moment holds a name twice.
    renamed = [(row, entry) for row, entry, edited in edits if key(entry) != key(row)]
    for row, entry, edited in edits:
        if edited and key(entry) == key(row):
            _edit(entry, row, edited)
    added = [row for row, entry in pairs if entry is None]
    held = {key(entry): entry.pk for _row, entry, _edited in edits}
    while renamed:
        ready = [(r, e) for r, e in renamed if key(r) not in held]
        if not ready:  # names swapped in a ring: the ring's lines are written anew
            DoorEntry.objects.filter(pk__in=[e.pk for _r, e in renamed]).delete()
            added += [row for row, _entry in renamed]
            break
        for row, entry in ready:
            held.pop(key(entry))
            held[key(row)] = entry.pk
            _edit(entry, row, [k for k in DOOR_VALUES if getattr(entry, k) != row[k]])
            renamed.remove((row, entry))
    DoorEntry.objects.bulk_create(
        DoorEntry(plan=plan, **{k: row[k] for k in DOOR_VALUES}) for row in added
    )


def _edit(line: Any, row: dict[str, Any], edited: list[str]) -> None:
    for key in edited:
        setattr(line, key, row[key])
    line.save(update_fields=edited)


def submit_security_plan(meeting: Meeting, *, actor: User) -> SecurityPlan:
    """Ask for approval; the leaders who decide the emergency plan are told. Precondition:
    the plan is saved, in draft or returned, and has at least one post."""
    with transaction.atomic():
        plan = _locked_plan(meeting, actor, allowed=can_edit_risks(actor, meeting))
        if plan is None or plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            raise errors.security_plan_state(plan.status if plan else "", "submitted")
        if not plan.posts.exists():
            raise fields_refused(
                _("The security plan was not submitted."),
                "invalid_security_plan",
                {"posts": _("Add at least one post.")},
                labels={"posts": _("posts")},
            )
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_by, plan.submitted_at = actor, timezone.now()
        plan.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
        audit.record("risks.security.submitted", meeting, actor=actor)
        security_plan_submitted(plan, meeting=meeting, actor=actor)
    plan.meeting = meeting
    return plan


def decide_security_plan(
    meeting: Meeting, *, actor: User, approve: bool, note: str = ""
) -> SecurityPlan:
    """The emergency plan's approver approves or returns the submitted plan; never the person
    who submitted it (`own_submission`). Returning needs a note saying what to change. On
    approval each guard is told their posts."""

    def lock() -> SecurityPlan:
        plan = _locked_plan(meeting, actor, allowed=can_approve_plan(actor, meeting))
        if plan is None:
            raise errors.security_plan_state("", "approved" if approve else "returned")
        plan.meeting = meeting
        return plan

    def move(plan: SecurityPlan, verdict: Verdict, stamped: list[str]) -> Audited:
        plan.status = PlanStatus.APPROVED if verdict.approve else PlanStatus.RETURNED
        plan.save(update_fields=["status", *stamped, "updated_at"])
        return Audited(meeting, data={"note": verdict.comment})

    def notify(plan: SecurityPlan, verdict: Verdict) -> None:
        if verdict.approve:
            tell_guards(plan, meeting=meeting, actor=actor)

    return decide(
        SECURITY, actor=actor, approve=approve, comment=note, lock=lock, move=move, notify=notify
    )


def record_incident(
    ticket: SupportTicket,
    *,
    actor: User,
    level: str = "",
    risk: Risk | None = None,
    handling: str = "",
    lessons: str = "",
) -> RiskEvent:
    """Record a security incident reported in the room as a risk event (P3.7 → P5.7): the
    ticket's time, its note as the cause, its resolution as the handling unless given. One
    event per ticket: a second is refused (`ticket_already_recorded`), so the register and
    its counts hold each incident once."""
    if ticket.category != TicketCategory.SECURITY:
        raise NotFound()
    meeting = ticket.meeting
    if not can_edit_risks(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        _lock_meeting(meeting, actor, allowed=True)
        locked = SupportTicket.objects.select_for_update().get(pk=ticket.pk)
        existing = RiskEvent.objects.filter(ticket=locked).values_list("pk", flat=True).first()
        if existing is not None:
            raise errors.ticket_recorded(existing)
        cause = locked.note or _("Security incident reported in %(room)s") % {
            "room": locked.room or meeting.location
        }
        handling = handling.strip() or locked.resolution or _("Handled by the staff on duty.")
        return record_risk_event(
            meeting,
            actor=actor,
            occurred_at=locked.reported_at,
            cause=cause,
            handling=handling,
            result=locked.resolution,
            lessons=lessons,
            risk=risk,
            level=level,
            ticket=locked,
        )
