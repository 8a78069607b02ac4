"""The case library: nominate, approve (never by the proposer), share, and reuse as a template
(P4.9, P8.5, P9.5, P9.6, P10.3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from meetops.agenda.services import replace_agenda
from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import PermissionDenied
from meetops.core.validation import required_problem
from meetops.improvement import errors, notify
from meetops.improvement.decisions import CASE, may_decide_case
from meetops.improvement.models import Case, CaseKind, CaseSharing, CaseStatus
from meetops.improvement.permissions import (
    SHAREABLE,
    SHARING_KINDS,
    can_nominate_case,
)
from meetops.meetings.models import Meeting, MeetingKind
from meetops.meetings.permissions import can_manage_meeting
from meetops.meetings.services import create_meeting
from meetops.people.models import User

TEXT_LIMIT = 10000
CASE_FIELDS = [
    "title",
    "summary",
    "success_factors",
    "materials_note",
    "tags",
    "source",
    "source_url",
]


def normalise_tags(tags: Any) -> str:
    """ ",a,b," from a list or a comma/space-separated string: lower case, unique, in order."""
    items = (
        tags if isinstance(tags, list | tuple) else str(tags or "").replace("，", ",").split(",")
    )
    seen: list[str] = []
    for raw in items:
        tag = str(raw).strip().lower().replace(",", "")[:40]
        if tag and tag not in seen:
            seen.append(tag)
    return f",{','.join(seen[:20])}," if seen else ""


def _clean(values: dict[str, Any], kind: str) -> dict[str, Any]:
    problems: dict[str, str] = {}
    for key in ("title", "summary", "success_factors", "materials_note", "source"):
        if key in values:
            values[key] = str(values[key] or "").strip()
            limit = 300 if key in ("title", "source") else TEXT_LIMIT
            if len(values[key]) > limit:
                problems[key] = errors.too_long(limit)
    for key in ("title", "summary", "success_factors"):
        if key in values and not values[key]:
            problems[key] = required_problem()
    if "tags" in values:
        values["tags"] = normalise_tags(values["tags"])
    if values.get("source_url"):
        try:
            URLValidator(schemes=["http", "https"])(values["source_url"])
        except DjangoValidationError:
            problems["source_url"] = _("Give a web address starting with http:// or https://.")
    if kind == CaseKind.EXTERNAL and "source" in values and not values["source"]:
        problems["source"] = _("Name where an outside case comes from.")
    if problems:
        raise errors.invalid(problems, Case)
    return values


def _stream(case: Case) -> Any:
    """A meeting case is on its meeting's audit stream; an external one on its own."""
    return case.meeting if case.meeting_id else case


def nominate_case(
    *,
    actor: User,
    title: str,
    summary: str,
    success_factors: str,
    meeting: Meeting | None = None,
    source: str = "",
    source_url: str = "",
    materials_note: str = "",
    tags: Any = "",
    submit: bool = False,
) -> Case:
    """Write a case: of a meeting the actor manages (public or internal only), or an external
    best practice with its source. `submit` sends it to approval at once."""
    kind = CaseKind.MEETING if meeting is not None else CaseKind.EXTERNAL
    if not can_nominate_case(actor, meeting):
        raise PermissionDenied()
    if meeting is not None and meeting.confidentiality not in SHAREABLE:
        raise errors.case_confidential()
    values = _clean(
        {
            "title": title,
            "summary": summary,
            "success_factors": success_factors,
            "materials_note": materials_note,
            "tags": tags,
            "source": source,
            "source_url": source_url,
        },
        kind,
    )
    with transaction.atomic():
        case = Case.objects.create(
            kind=kind,
            meeting=meeting,
            proposed_by=actor,
            status=CaseStatus.SUBMITTED if submit else CaseStatus.DRAFT,
            **values,
        )
        audit.record(
            "improvement.case.nominated",
            _stream(case),
            actor=actor,
            data={"case": case.pk, "title": case.title, "status": case.status},
        )
        if submit:
            notify.case_waiting(case, actor=actor)
    return case


def _lock(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.meeting = case.meeting
    return locked


def update_case(case: Case, *, actor: User, **changes: Any) -> Case:
    """The proposer edits a case that is not published yet."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise errors.invalid({k: _("This field cannot be changed here.") for k in sorted(unknown)})
    if actor.pk != case.proposed_by_id and not actor.is_admin:
        raise PermissionDenied()
    values = _clean(dict(changes), case.kind)
    with transaction.atomic():
        locked = _lock(case)
        if locked.status == CaseStatus.PUBLISHED:
            raise errors.case_state(locked.status, "edit")
        before = audit.snapshot(locked, CASE_FIELDS)
        for key, value in values.items():
            setattr(locked, key, value)
        changed = audit.diff(before, audit.snapshot(locked, CASE_FIELDS))
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit.record(
                "improvement.case.updated",
                _stream(locked),
                actor=actor,
                changes=changed,
                data={"case": locked.pk},
            )
        audit.note_outcome(locked, changed)
    return locked


def submit_case(case: Case, *, actor: User) -> Case:
    """Draft or returned → waiting for approval. The proposer only."""
    if actor.pk != case.proposed_by_id:
        raise PermissionDenied()
    with transaction.atomic():
        locked = _lock(case)
        if locked.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED):
            raise errors.case_state(locked.status, CaseStatus.SUBMITTED)
        locked.status = CaseStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            "improvement.case.submitted", _stream(locked), actor=actor, data={"case": locked.pk}
        )
        notify.case_waiting(locked, actor=actor)
    return locked


def decide_case(case: Case, *, actor: User, approve: bool, note: str = "") -> Case:
    """A leader or admin publishes or returns a submitted case.

    Preconditions: the actor is not the proposer (`self_approval`); a meeting case's meeting
    is still public or internal (its confidentiality may have been raised since it was
    nominated).
    """
    if not may_decide_case(actor, case):
        raise PermissionDenied()

    def move(locked: Case, verdict: Verdict, stamped: list[str]) -> Audited:
        if verdict.approve and locked.meeting_id is not None:
            confidentiality = (
                Meeting.objects.filter(pk=int(locked.meeting_id))
                .values_list("confidentiality", flat=True)
                .first()
            )
            if confidentiality not in SHAREABLE:
                raise errors.case_confidential()
        locked.status = CaseStatus.PUBLISHED if verdict.approve else CaseStatus.RETURNED
        locked.published_at = verdict.at if verdict.approve else None
        locked.save(update_fields=["status", *stamped, "published_at", "updated_at"])
        return Audited(_stream(locked), data={"case": locked.pk, "note": verdict.comment})

    return decide(
        CASE, actor=actor, approve=approve, comment=note, lock=lambda: _lock(case), move=move
    )


def link_sharing_session(case: Case, *, actor: User, meeting: Meeting) -> CaseSharing:
    """P9.5: record that a published case is presented at a training or conference meeting
    that the actor manages."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    if meeting.kind.code not in SHARING_KINDS:
        raise errors.not_sharing_session()
    with transaction.atomic():
        locked = _lock(case)
        if locked.status != CaseStatus.PUBLISHED:
            raise errors.case_state(locked.status, "shared")
        sharing, created = CaseSharing.objects.get_or_create(
            case=locked, meeting=meeting, defaults={"added_by": actor}
        )
        if created:
            audit.record(
                "improvement.case.shared",
                meeting,
                actor=actor,
                data={"case": locked.pk, "title": locked.title},
            )
    return sharing


# An outside practice has no meeting to take the length from: a half-day unless told.
EXTERNAL_DURATION_MINUTES = 120


def start_meeting_from_case(
    case: Case,
    *,
    actor: User,
    start: datetime,
    title: str = "",
    kind: MeetingKind | None = None,
    duration_minutes: int | None = None,
) -> Meeting:
    """Use a published case as a template for a new draft meeting.

    A meeting case gives its kind, goals, length and agenda items (titles, descriptions,
    durations). A best practice from elsewhere (P10.3) gives its title, what made it work as
    the goals, and its summary and source as the description; the kind is chosen (`kind`) and
    the length given (`duration_minutes`, two hours unless said).
    """
    source = case.meeting
    published = Case.objects.filter(pk=case.pk, status=CaseStatus.PUBLISHED).exists()
    if not published:
        raise errors.case_state(case.status, "template")
    if source is None:
        return _meeting_from_practice(
            case, actor=actor, start=start, title=title, kind=kind, minutes=duration_minutes
        )
    rows = [
        {
            "title": item.title,
            "description": item.description,
            "duration_minutes": item.duration_minutes,
        }
        for item in source.agenda_items.order_by("order", "id")
    ]
    with transaction.atomic():
        meeting = create_meeting(
            actor=actor,
            title=title.strip() or source.title,
            kind=kind or source.kind,
            start=start,
            end=start + (source.end - source.start),
            goals=source.goals,
            format=source.format,
        )
        if rows:
            replace_agenda(meeting, items=rows, actor=actor)
        audit.record(
            "improvement.case.used_as_template",
            meeting,
            actor=actor,
            data={"case": case.pk, "from_meeting": source.pk},
        )
    return meeting


def _meeting_from_practice(
    case: Case,
    *,
    actor: User,
    start: datetime,
    title: str,
    kind: MeetingKind | None,
    minutes: int | None,
) -> Meeting:
    problems: dict[str, str] = {}
    if kind is None:
        problems["kind"] = _("Choose the kind of meeting to start.")
    if minutes is not None and not 15 <= minutes <= 24 * 60:
        problems["duration_minutes"] = _("Give a length between 15 minutes and a day.")
    if problems or kind is None:
        raise errors.invalid(problems)
    cited = f"{case.source} {case.source_url}".strip()
    description = "\n\n".join(
        x for x in (case.summary, _("Practice from: %(source)s") % {"source": cited}) if x
    )
    with transaction.atomic():
        meeting = create_meeting(
            actor=actor,
            title=title.strip() or case.title,
            kind=kind,
            start=start,
            end=start + timedelta(minutes=minutes or EXTERNAL_DURATION_MINUTES),
            goals=case.success_factors,
            description=description,
        )
        audit.record(
            "improvement.case.used_as_template",
            meeting,
            actor=actor,
            data={"case": case.pk, "from_meeting": None},
        )
    return meeting
