"""Reads that matter: every list is already limited to what the user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext

from meetops.core import textsearch
from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.inbox import read_memo
from meetops.core.models import AuditEntry
from meetops.core.prepared import Prepared
from meetops.core.registry import registry
from meetops.core.schemas import MAX_DB_ID
from meetops.meetings import search
from meetops.meetings.models import (
    Confidentiality,
    Meeting,
    MeetingRole,
    Participant,
    ParticipantStatus,
    frozen_q,
)
from meetops.meetings.permissions import MANAGING_ROLES, can_manage_meeting, can_view_meeting
from meetops.people.models import Role, User
from meetops.people.permissions import can_read_whole_audit_log
from meetops.people.selectors import department_ids_of, prime_people


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """The queryset twin of `can_view_meeting`: keep the two in step."""
    base = Meeting.objects.select_related("kind", "department")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.is_admin:
        return base
    on_meeting = Exists(Participant.objects.filter(meeting=OuterRef("pk"), user=user))
    visible = (
        Q(on_meeting)
        | Q(created_by=user)
        | Q(confidentiality__in=[Confidentiality.PUBLIC, Confidentiality.INTERNAL])
    )
    if user.has_role(Role.LEADER, Role.ARCHIVIST):
        visible |= Q(confidentiality=Confidentiality.RESTRICTED)
    else:
        departments = department_ids_of(user)
        if departments:
            visible |= Q(confidentiality=Confidentiality.RESTRICTED, department_id__in=departments)
    return base.filter(visible)


def meeting_visibility(user: User) -> Callable[[str, int | None, int | None, bool], bool]:
    """`meetings_visible_to` as a test of one meeting's columns: keep the two in step.

    For reads that fetch each row's meeting facts instead of filtering by a subquery whose
    shape depends on the user: the test takes the meeting's confidentiality, department_id,
    created_by_id and whether the user is one of its participants.
    """
    if not user.is_authenticated or not user.is_active:
        return lambda *facts: False
    if user.is_admin:
        return lambda *facts: True
    open_to_all = {Confidentiality.PUBLIC, Confidentiality.INTERNAL}
    every_restricted = user.has_role(Role.LEADER, Role.ARCHIVIST)
    departments = set() if every_restricted else set(department_ids_of(user))

    def sees(
        confidentiality: str, department_id: int | None, created_by_id: int | None, on_it: bool
    ) -> bool:
        return (
            bool(on_it)
            or created_by_id == user.pk
            or confidentiality in open_to_all
            or (
                confidentiality == Confidentiality.RESTRICTED
                and (every_restricted or department_id in departments)
            )
        )

    return sees


def meetings_audit_scope(user: User, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The audit entries `user` may read (the registry's "audit_scope", read by core's log).

    Admins read the whole log; archivists read it all but the history of meetings they may
    not see (a confidential meeting's entries carry its title and changes); anyone else reads
    the history of the meetings they may see and their own actions.
    """
    if user.is_admin or can_read_whole_audit_log(user):
        return entries
    visible_ids = meetings_visible_to(user).annotate(key=Cast("pk", CharField())).values("key")
    visible_meetings = Q(object_type="meeting", object_id__in=visible_ids)
    if user.has_role(Role.ARCHIVIST):
        return entries.filter(~Q(object_type="meeting") | visible_meetings)
    return entries.filter(visible_meetings | Q(actor=user))


class MeetingTitle(NamedTuple):
    """A meeting's name as one reader may read it; `visible` says whether to link to it."""

    title: str
    visible: bool

    def __str__(self) -> str:
        return self.title

    @classmethod
    def read(cls, title: str, *, visible: bool) -> MeetingTitle:
        return cls(title, True) if visible else cls(gettext("A meeting you cannot see"), False)


class MeetingTitles(dict[int, MeetingTitle]):
    """Meeting id → title as one reader may read it; an id missing from it is a meeting the
    reader may not see, and reads as a neutral label."""

    def __missing__(self, meeting_id: int) -> MeetingTitle:
        return MeetingTitle.read("", visible=False)


def meeting_titles_for(
    user: User, meeting_ids: Iterable[int] | QuerySet[Any, Any]
) -> MeetingTitles:
    """The titles of those of `meeting_ids` (a list or a subquery of ids) that `user` may see,
    newest first, in one query; any other id reads as a neutral label. Whoever may follow an
    action item (its owner, its departments) need not see its meeting, and no page, export or
    API answer may name a meeting to someone who cannot see it (issue 14)."""
    rows = (
        meetings_visible_to(user)
        .filter(pk__in=meeting_ids)
        .order_by("-start", "-id")
        .values_list("pk", "title")
    )
    return MeetingTitles((pk, MeetingTitle(title, visible=True)) for pk, title in rows)


def sees_meeting(user: User, meeting_ref: str = "meeting_id") -> Exists:
    """An annotation: may `user` see the row's meeting? For a grouped list that reads the title
    in its own query; pass both to `MeetingTitle.read`."""
    return Exists(meetings_visible_to(user).filter(pk=OuterRef(meeting_ref)))


def undecided_meeting_ids(user: User) -> QuerySet[Meeting, Any]:
    """Ids of the meetings the user may see that are neither closed nor cancelled: where
    "Waiting for me" looks for what still awaits a decision. A subquery, not a list."""
    return meetings_visible_to(user).exclude(frozen_q()).values("pk")


def prime_meeting_access(users: Sequence[User], meetings: Iterable[Meeting]) -> None:
    """What `can_view_meeting` and `can_manage_meeting` ask about these people on these
    meetings, read in at most three queries whatever their number and kept where the
    predicates look (the accounts' roles and departments, each meeting's roles cache): a batch
    asks the predicates instead of running `meetings_visible_to` per person.

    During one inbox read (`core.inbox.read_memo`) what was read is kept for the next
    source, which reads only the meetings not read yet."""
    prime_people(users)
    instances: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        instances[meeting.pk].append(meeting)
    if not instances or not users:
        return
    memo = read_memo()
    read: dict[tuple[int, int], tuple[frozenset[str], frozenset[str]]] = (
        memo.setdefault("meetings.roles", {}) if memo is not None else {}
    )
    unread = [pk for pk in instances if any((pk, u.pk) not in read for u in users)]
    if unread:
        held: dict[tuple[int, int], set[str]] = defaultdict(set)
        duties: dict[tuple[int, int], set[str]] = defaultdict(set)
        rows = Participant.objects.filter(meeting__in=unread, user__in=[u.pk for u in users])
        for meeting_id, user_id, role, extra, kinds in rows.values_list(
            "meeting_id", "user_id", "role", "extra_roles", "duty_kinds"
        ):
            held[meeting_id, user_id].update([role, *extra])
            duties[meeting_id, user_id].update(kinds or [])
        for pk in unread:
            for user in users:
                read.setdefault(
                    (pk, user.pk), (frozenset(held[pk, user.pk]), frozenset(duties[pk, user.pk]))
                )
    for pk, same in instances.items():
        for meeting in same:
            roles = meeting.__dict__.setdefault("_roles_cache", {})
            kinds = meeting.__dict__.setdefault("_duties_cache", {})
            for user in users:
                roles.setdefault(user.pk, read[pk, user.pk][0])
                kinds.setdefault(user.pk, read[pk, user.pk][1])


def undecided_for(user: User, meeting: Meeting) -> bool:
    """The predicate twin of `undecided_meeting_ids`: seen by the user, neither closed nor
    cancelled (ask `prime_meeting_access` first for many people)."""
    return not meeting.is_frozen and can_view_meeting(user, meeting)


def get_meeting_for_user(user: User, pk: int, *, write: bool = False) -> Meeting:
    """Load a meeting for this user: 404 if they may not see it, 403 if they may not change it."""
    if not 0 < pk <= MAX_DB_ID:  # beyond a 64-bit key PostgreSQL raises rather than finds nothing
        raise NotFound()
    meeting = (
        Meeting.objects.select_related("kind", "department", "process_version")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not can_view_meeting(user, meeting):
        raise NotFound()
    if write and not can_manage_meeting(user, meeting):
        raise PermissionDenied()
    return meeting


_ROLE_BITS = {role: 1 << n for n, role in enumerate(MeetingRole.values)}


def caller_roles(user_id: int) -> RawSQL:
    """An annotation: the caller's roles on the meeting (its `role` and `extra_roles`) as one
    integer (a bit per role).

    Raw SQL on purpose: the ORM's Case/When/Subquery took more time to build than the
    query takes to run. Only the models' own names and the role codes are interpolated.
    `with_caller_roles` turns the number back into the roles and caches them.
    """
    table = connection.ops.quote_name(Participant._meta.db_table)
    meetings = connection.ops.quote_name(Meeting._meta.db_table)
    # A role held as the row's `role` or among its `extra_roles` (JSON text, each role quoted,
    # as `meetings.models.holding` matches it): one person has one row per meeting.
    extra = "CAST(extra_roles AS TEXT)"
    bits = " + ".join(
        f"(CASE WHEN role = '{role}' OR {extra} LIKE '%%\"{role}\"%%' THEN {bit} ELSE 0 END)"
        for role, bit in _ROLE_BITS.items()
    )
    return RawSQL(  # noqa: S611 - the user id is a parameter
        f"SELECT SUM({bits}) FROM {table} "  # noqa: S608
        f"WHERE {table}.meeting_id = {meetings}.id AND {table}.user_id = %s",
        (user_id,),
        output_field=IntegerField(),
    )


def with_caller_roles(meeting: Meeting, user: User, mask: int | None) -> Meeting:
    """Cache the roles `caller_roles` read, so the permission predicates ask no further query."""
    roles = frozenset(role for role, bit in _ROLE_BITS.items() if (mask or 0) & bit)
    meeting.__dict__.setdefault("_roles_cache", {})[user.pk] = roles
    return meeting


# Compiled once per connection (core.prepared): building it cost more than running it; a
# look-up by primary key, so PostgreSQL plans it once per connection too (`plan_once`).
_meeting_with_roles = Prepared(
    lambda user_id, pk: Meeting.objects.annotate(_caller_roles=caller_roles(user_id)).filter(pk=pk)[
        :1
    ],
    -1,
    -2,
    plan_once=True,
)


def get_meeting_for_hot_path(user: User, pk: int, *, write: bool = False) -> Meeting:
    """`get_meeting_for_user` in one statement for the hot writes: 404 and 403 alike.

    The meeting without its kind, department or process (load those yourself if needed),
    with the caller's roles on it cached for the permission predicates.
    """
    if not 0 < pk <= MAX_DB_ID or not user.is_authenticated:
        raise NotFound()
    found = _meeting_with_roles(user.pk, pk)
    if not found:
        raise NotFound()
    meeting = with_caller_roles(found[0], user, getattr(found[0], "_caller_roles", None))
    if not can_view_meeting(user, meeting):
        raise NotFound()
    if write and not can_manage_meeting(user, meeting):
        raise PermissionDenied()
    return meeting


def meetings_in_range(user: User, start: datetime, end: datetime) -> QuerySet[Meeting]:
    return meetings_visible_to(user).filter(start__lt=end, end__gt=start).order_by("start")


def meetings_of(user: User) -> QuerySet[Meeting]:
    """Meetings the user is on or created."""
    return meetings_visible_to(user).filter(
        Q(Exists(Participant.objects.filter(meeting=OuterRef("pk"), user=user)))
        | Q(created_by=user)
    )


def managed_by(user: User) -> Q:
    """Meetings the user manages: created them or organises them (the query twin of can_manage_meeting, admins aside)."""
    organises = Exists(
        Participant.objects.filter(meeting=OuterRef("pk"), user=user, role__in=MANAGING_ROLES)
    )
    return Q(created_by=user) | Q(organises)


def text_matches(qs: QuerySet[Meeting], q: str | None) -> QuerySet[Meeting]:
    """The meetings of `qs` whose text contains every term of `q` (core.textsearch)."""
    hits = textsearch.find(search.KIND, q or "")
    return qs if hits is None else qs.filter(hits.q("pk"))


def search_meetings(
    user: User,
    *,
    q: str = "",
    stage: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    mine: bool = False,
) -> QuerySet[Meeting]:
    """The meeting list: what the user may see, narrowed by the filters, newest first.

    `q` is found in the title, place, goals and description, in either script (会议 / 會議)."""
    qs = text_matches(meetings_of(user) if mine else meetings_visible_to(user), q)
    if stage:
        qs = qs.filter(stage=stage)
    if kind:
        qs = qs.filter(kind__code=kind)
    if date_from:
        qs = qs.filter(end__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(start__lt=_day_start(date_to + timedelta(days=1)))
    return qs.order_by("-start", "-id")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def upcoming_for(user: User) -> QuerySet[Meeting]:
    """Meetings the user is on that have not ended and are still live, soonest first."""
    return (
        meetings_of(user)
        .filter(end__gte=timezone.now())
        .exclude(frozen_q())
        .order_by("start", "id")
    )


def blocked_meetings_of(user: User) -> QuerySet[Meeting]:
    """Live meetings the user manages whose current stage still has required steps open.

    Annotated with `open_required`. Counts stored statuses (no query per row):
    automatic steps are recorded as done when their evidence exists, by the
    worker's `policy.sync_automatic_steps` job and at every stage change.
    """
    return (
        meetings_visible_to(user)
        .filter(managed_by(user))
        .exclude(frozen_q())
        .annotate(
            open_required=Count(
                "steps",
                filter=Q(
                    steps__required=True,
                    steps__status="open",
                    steps__stage=F("stage"),
                ),
            )
        )
        .filter(open_required__gt=0)
        .order_by("start", "id")
    )


def expected_participants(meeting: Meeting) -> QuerySet[Participant]:
    """The people still expected at the meeting: not replaced by a substitute, and not among
    those an app says will not come (the "meeting_hooks" store's `not_coming`, e.g. who
    declined). A substitute is a participant of their own and is expected."""
    people = Participant.objects.filter(meeting=meeting, status=ParticipantStatus.ACTIVE)
    for hook in registry["meeting_hooks"].ordered():
        if hook.not_coming is not None:
            people = people.exclude(hook.not_coming())
    return people
