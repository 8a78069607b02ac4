"""Reads of the follow-up: the board (filters, counts, rates), the leadership summary, an item's
timeline. Every list is limited to what the user may see, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetops.core.errors import NotFound
from meetops.core.inbox import by_person, per_person
from meetops.core.schemas import MAX_DB_ID
from meetops.followup.models import (
    AcceptedBy,
    ActionUpdate,
    Cooperation,
    DueDateChange,
    Escalation,
    EscalationState,
    FollowupRules,
    Review,
    ReviewDecision,
    UpdateKind,
)
from meetops.followup.permissions import can_view_followup, sees_whole_board, user_department_ids
from meetops.meetings.models import Participant, frozen_q
from meetops.meetings.permissions import MANAGING_ROLES
from meetops.meetings.selectors import MeetingTitle, meetings_visible_to, sees_meeting
from meetops.minutes.models import ActionItem, ActionState
from meetops.people.models import Department, DepartmentHead, User
from meetops.people.selectors import headed_by_q

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

LIVE = [ActionState.OPEN, ActionState.IN_PROGRESS]
# Board filter `state`: the item states plus these views.
STATE_VIEWS = ("live", "awaiting_acceptance", "accepted")


def _accepted(**extra: Any) -> QuerySet[Review]:
    return Review.objects.filter(
        action=OuterRef("pk"),
        decision=ReviewDecision.ACCEPTED,
        completed_at=OuterRef("completed_at"),
        **extra,
    )


class BoardAttrs(TypedDict):
    """What `annotated` adds to each item."""

    percent: int | None
    open_escalations: int | None
    accepted: bool
    quality: int | None


if TYPE_CHECKING:
    BoardItem = WithAnnotations[ActionItem, BoardAttrs]


def annotated(qs: QuerySet[ActionItem]) -> QuerySet[BoardItem]:
    """Items with what the board shows: latest percent, open escalations, acceptance, rating."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk"), kind=UpdateKind.PROGRESS).order_by(
        "-created_at", "-id"
    )
    accepted = _accepted().order_by("-id")
    return (
        qs.select_related("owner", "department", "meeting", "instruction__leader")
        .prefetch_related(
            Prefetch("cooperations", queryset=Cooperation.objects.select_related("department"))
        )
        .annotate(
            percent=Subquery(latest.values("percent")[:1], output_field=IntegerField()),
            open_escalations=Subquery(
                Escalation.objects.filter(action=OuterRef("pk"), state=EscalationState.OPEN)
                .order_by()
                .values("action")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            accepted=Exists(accepted),
            quality=Subquery(accepted.values("quality")[:1], output_field=IntegerField()),
        )
    )


def items_for(user: User) -> QuerySet[ActionItem]:
    """Every item the user may follow: organisers, leaders and admins all they may see; others
    what they own and what their departments own or cooperate on."""
    if not user.is_authenticated:
        return ActionItem.objects.none()
    if user.is_admin:
        return ActionItem.objects.all()
    chain = user_department_ids(user)
    departmental = Q(department_id__in=chain) | Q(
        Exists(Cooperation.objects.filter(action=OuterRef("pk"), department_id__in=chain))
    )
    mine = Q(owner=user) | departmental if chain else Q(owner=user)
    mine |= headed_by_q(user, "department") | headed_by_q(user, "owner__department")
    if sees_whole_board(user):
        mine |= Q(meeting__in=meetings_visible_to(user).values("pk"))
    return ActionItem.objects.filter(mine)


def get_item_for_user(user: User, pk: int) -> BoardItem:
    """404 unless the user may follow the item."""
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()
    action = annotated(ActionItem.objects.filter(pk=pk)).first()
    if action is None or not can_view_followup(user, action):
        raise NotFound()
    return action


@dataclass
class BoardFilter:
    department: Department | None = None
    owner: User | None = None
    meeting_id: int | None = None
    state: str = ""
    overdue: bool = False
    due_this_week: bool = False


def week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def apply_filter(qs: QuerySet[ActionItem], f: BoardFilter, today: date) -> QuerySet[ActionItem]:
    if f.department is not None:
        path = f.department.path
        qs = qs.filter(
            Q(department__path__startswith=path)
            | Q(
                Exists(
                    Cooperation.objects.filter(
                        action=OuterRef("pk"), department__path__startswith=path
                    )
                )
            )
        )
    if f.owner is not None:
        qs = qs.filter(owner=f.owner)
    if f.meeting_id is not None:
        qs = qs.filter(meeting_id=f.meeting_id)
    if f.state == "live":
        qs = qs.filter(state__in=LIVE)
    elif f.state == "awaiting_acceptance":
        qs = qs.filter(state=ActionState.DONE).exclude(Exists(_accepted()))
    elif f.state == "accepted":
        qs = qs.filter(state=ActionState.DONE).filter(Exists(_accepted()))
    elif f.state in ActionState.values:
        qs = qs.filter(state=f.state)
    if f.overdue:
        qs = qs.filter(state__in=LIVE, due_date__lt=today)
    if f.due_this_week:
        qs = qs.filter(state__in=LIVE, due_date__gte=today, due_date__lte=week_end(today))
    return qs


def _on_time_q() -> Q:
    return Q(state=ActionState.DONE, due_date__isnull=False, completed_at__date__lte=F("due_date"))


def _due_q(today: date) -> Q:
    """Items that were due by today: done ones with a due date, and live ones past it.

    The on-time rate is on time ÷ these, so an overdue item counts against it; over the done
    items alone, "2 overdue, 100% on time" could both be true and mislead.
    """
    return Q(state=ActionState.DONE, due_date__isnull=False) | Q(state__in=LIVE, due_date__lt=today)


def counts(qs: QuerySet[ActionItem], today: date) -> dict[str, Any]:
    """Totals by state, overdue, due this week and the on-time completion rate, in one query."""
    row = qs.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(state=ActionState.OPEN)),
        in_progress=Count("pk", filter=Q(state=ActionState.IN_PROGRESS)),
        done=Count("pk", filter=Q(state=ActionState.DONE)),
        cancelled=Count("pk", filter=Q(state=ActionState.CANCELLED)),
        overdue=Count("pk", filter=Q(state__in=LIVE, due_date__lt=today)),
        due_this_week=Count(
            "pk", filter=Q(state__in=LIVE, due_date__gte=today, due_date__lte=week_end(today))
        ),
        done_with_due=Count("pk", filter=Q(state=ActionState.DONE, due_date__isnull=False)),
        due=Count("pk", filter=_due_q(today)),
        on_time=Count("pk", filter=_on_time_q()),
    )
    row["on_time_rate"] = rate(row["on_time"], row["due"])
    return row


def rate(part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when there is nothing to measure."""
    return round(100 * part / whole) if whole else None


def board(
    user: User, f: BoardFilter, *, limit: int = 500
) -> tuple[list[BoardItem], dict[str, Any]]:
    today = timezone.localdate()
    qs = apply_filter(items_for(user), f, today)
    rows = list(annotated(qs).order_by(F("due_date").asc(nulls_last=True), "id")[:limit])
    return rows, counts(qs, today)


def department_items(department: Department) -> QuerySet[ActionItem]:
    """Items of the department and those below it: owned by one of them or by their people."""
    path = department.path
    return ActionItem.objects.filter(
        Q(department__path__startswith=path) | Q(owner__department__path__startswith=path)
    )


def department_board(
    user: User, department: Department, *, limit: int = 500
) -> tuple[list[BoardItem], dict[str, Any]]:
    """A department's open and in-progress items that `user` may follow, due first, with the
    counts (P8.8); a fixed number of queries whatever the number of rows."""
    today = timezone.localdate()
    qs = department_items(department).filter(state__in=LIVE, pk__in=items_for(user).values("pk"))
    rows = list(annotated(qs).order_by(F("due_date").asc(nulls_last=True), "id")[:limit])
    return rows, counts(qs, today)


@dataclass
class DepartmentLine:
    department: str
    total: int
    done: int
    overdue: int
    on_time_rate: int | None
    average_quality: float | None


@dataclass
class MeetingLine:
    meeting_id: int
    title: str
    total: int
    done: int
    overdue: int

    @property
    def progress(self) -> int:
        return rate(self.done, self.total) or 0


@dataclass
class OverdueLine:
    action_id: int
    title: str
    owner: str
    due_date: date
    days_late: int
    meeting: MeetingTitle


@dataclass
class Summary:
    departments: list[DepartmentLine] = field(default_factory=list)
    meetings: list[MeetingLine] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    # The items behind the "overdue" count, most late first, so a count is never without its list.
    overdue: list[OverdueLine] = field(default_factory=list)


OVERDUE_SHOWN = 100


def _overdue_lines(user: User, qs: QuerySet[ActionItem], today: date) -> list[OverdueLine]:
    rows = (
        qs.filter(state__in=LIVE, due_date__lt=today)
        .select_related("owner")
        .annotate(visible=sees_meeting(user), meeting_title=F("meeting__title"))
        .order_by("due_date", "id")[:OVERDUE_SHOWN]
    )
    return [
        OverdueLine(
            a.pk,
            a.title,
            str(a.owner) if a.owner else "",
            a.due_date,
            (today - a.due_date).days,
            MeetingTitle.read(a.meeting_title, visible=a.visible),
        )
        for a in rows
        if a.due_date is not None
    ]


def summary(user: User) -> Summary:
    """The leadership summary (P8.10): per department and per meeting, in four queries.

    An item without an owning department counts for its owner's department.
    """
    today = timezone.localdate()
    qs = items_for(user).order_by()
    dept = Coalesce("department_id", "owner__department_id")
    by_dept = (
        qs.annotate(dept=dept)
        .values("dept")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(state=ActionState.DONE)),
            overdue=Count("pk", filter=Q(state__in=LIVE, due_date__lt=today)),
            due=Count("pk", filter=_due_q(today)),
            on_time=Count("pk", filter=_on_time_q()),
        )
    )
    quality = dict(
        Review.objects.filter(action__in=qs.values("pk"), decision=ReviewDecision.ACCEPTED)
        .annotate(dept=Coalesce("action__department_id", "action__owner__department_id"))
        .values("dept")
        .annotate(q=Avg("quality"))
        .values_list("dept", "q")
    )
    rows = list(by_dept)
    names = dict(
        Department.objects.filter(pk__in=[r["dept"] for r in rows if r["dept"]]).values_list(
            "pk", "name"
        )
    )
    departments = [
        DepartmentLine(
            department=names.get(r["dept"], "") if r["dept"] else "",
            total=r["total"],
            done=r["done"],
            overdue=r["overdue"],
            on_time_rate=rate(r["on_time"], r["due"]),
            average_quality=round(quality[r["dept"]], 1) if quality.get(r["dept"]) else None,
        )
        for r in rows
    ]
    departments.sort(key=lambda d: (d.department == "", d.department))
    lines = list(
        qs.values("meeting_id", "meeting__title", "meeting__start")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(state=ActionState.DONE)),
            overdue=Count("pk", filter=Q(state__in=LIVE, due_date__lt=today)),
            # Items the user follows as owner or department may sit in meetings they may not see.
            visible=sees_meeting(user),
        )
        .order_by("-meeting__start")[:200]
    )
    meetings = [
        MeetingLine(
            r["meeting_id"],
            MeetingTitle.read(r["meeting__title"], visible=r["visible"]).title,
            r["total"],
            r["done"],
            r["overdue"],
        )
        for r in lines
    ]
    return Summary(departments, meetings, counts(qs, today), _overdue_lines(user, qs, today))


@dataclass
class Timeline:
    updates: list[ActionUpdate]
    due_changes: list[DueDateChange]
    escalations: list[Escalation]
    reviews: list[Review]

    @property
    def percent(self) -> int | None:
        for u in self.updates:
            if u.kind == UpdateKind.PROGRESS:
                return u.percent
        return None


def timeline_of(action: ActionItem) -> Timeline:
    """An item's follow-up history, newest first (four queries, whatever its length)."""
    return Timeline(
        updates=list(
            action.followup_updates.select_related("author").order_by("-created_at", "-id")
        ),
        due_changes=list(
            action.due_date_changes.select_related("changed_by").order_by("-created_at", "-id")
        ),
        escalations=list(
            action.escalations.select_related("raised_by", "answered_by")
            .prefetch_related("recipients")
            .order_by("-created_at", "-id")
        ),
        reviews=list(
            action.followup_reviews.select_related("reviewed_by").order_by("-created_at", "-id")
        ),
    )


def open_escalations_to(users: Sequence[User]) -> QuerySet[Escalation]:
    """The one rule of which escalations wait for an answer: open, sent to the person (each
    recipient answers, ADR 0021). One row per escalation and recipient among `users`, oldest
    first; `recipient_id` names whose row it is. `open_escalations_for` and the inbox's batch
    (`open_escalations_many`) both read it."""
    return (
        Escalation.objects.filter(state=EscalationState.OPEN, recipients__in=[u.pk for u in users])
        .annotate(recipient_id=F("recipients"))
        .select_related("action__meeting", "raised_by")
        .order_by("created_at", "id")
    )


def open_escalations_many(users: Sequence[User], limit: int) -> dict[int, list[Escalation]]:
    """The escalations waiting for each of these people's answer, in one query."""
    rows = open_escalations_to(users)
    return by_person(users, rows, lambda e: e.recipient_id, limit)  # type: ignore[attr-defined]


def open_escalations_for(user: User, *, limit: int = 200) -> QuerySet[Escalation]:
    """Escalations waiting for this user's answer: `open_escalations_to` of one."""
    return open_escalations_to([user])[:limit]


def awaiting_acceptance_many(users: Sequence[User], limit: int) -> dict[int, list[ActionItem]]:
    """The done items each of these people should accept or send back, as the follow-up rules
    in force say (`permissions.can_review`), never their own (admins: those of meetings they
    manage): the finished, not yet accepted items of open meetings read once, then per person
    whose they are (managers, unless under "leader_first" the item is an instruction's; the
    instruction's leader; under "with_heads" the heads of the item's or its owner's
    department). The one rule of "Waiting for me"'s acceptance, for one person or many."""
    rows = list(
        ActionItem.objects.filter(state=ActionState.DONE)
        .exclude(Exists(_accepted()))
        .exclude(frozen_q("meeting__"))
        .select_related("meeting", "owner__department", "department", "instruction")
        .order_by("completed_at", "id")
    )
    if not rows:  # nothing finished awaits anyone: the rules and roles need not be read
        return {u.pk: [] for u in users}
    ids = [u.pk for u in users]
    current = set(
        FollowupRules.objects.filter(is_current=True).values_list("accepted_by", flat=True)
    )
    leader_first = AcceptedBy.LEADER_FIRST in current
    with_heads = AcceptedBy.WITH_HEADS in current
    organisers: set[tuple[int, int]] = set(
        Participant.objects.filter(
            meeting__in={a.meeting_id for a in rows}, user__in=ids, role__in=MANAGING_ROLES
        ).values_list("meeting_id", "user_id")
    )
    heads: dict[int, list[str]] = defaultdict(list)
    if with_heads:
        for user_id, path in DepartmentHead.objects.filter(user__in=ids).values_list(
            "user_id", "department__path"
        ):
            heads[user_id].append(path)

    def waits(user: User, item: ActionItem) -> bool:
        if item.owner_id == user.pk:
            return False
        instruction = _instruction(item)
        managed = item.meeting.created_by_id == user.pk or (item.meeting_id, user.pk) in organisers
        if managed and (instruction is None or not leader_first):
            return True
        if instruction is not None and instruction.leader_id == user.pk:
            return True
        owners = item.owner.department if item.owner is not None else None
        paths = [d.path for d in (item.department, owners) if d is not None]
        return with_heads and any(p.startswith(h) for p in paths for h in heads[user.pk])

    return per_person(users, rows, waits, limit)


def awaiting_acceptance_by(user: User, *, limit: int = 200) -> list[ActionItem]:
    """`awaiting_acceptance_many` of one."""
    return awaiting_acceptance_many([user], limit)[user.pk]


def _instruction(item: ActionItem) -> Any:
    try:
        return item.instruction  # the reverse one-to-one; missing: raises
    except ObjectDoesNotExist:
        return None


def open_items_owned_by(users: Sequence[User]) -> QuerySet[ActionItem]:
    """The one rule of a person's own work still to do: the action items they own, open or in
    progress, of meetings not closed, soonest due first. `open_items_of` and the inbox's batch
    (kind `action`, ADR 0021) both read it."""
    return (
        ActionItem.objects.filter(owner__in=[u.pk for u in users], state__in=LIVE)
        .exclude(frozen_q("meeting__"))
        .select_related("meeting")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def open_items_of(user: User, *, limit: int = 200) -> QuerySet[ActionItem]:
    """The action items this user owns and has still to finish: `open_items_owned_by` of one."""
    return open_items_owned_by([user])[:limit]
