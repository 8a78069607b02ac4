"""Prepared reads give what their queryset gives; insert_where writes only when its condition holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Exists, OuterRef

from meetops.core.prepared import Prepared, insert_where
from meetops.meetings.models import Meeting, MeetingRole, Participant

pytestmark = pytest.mark.django_db


def _meetings(creator_id: int, since: datetime):  # type: ignore[no-untyped-def]
    return (
        Meeting.objects.select_related("kind", "created_by")
        .annotate(
            has_host=Exists(
                Participant.objects.filter(meeting=OuterRef("pk"), role=MeetingRole.HOST)
            )
        )
        .filter(created_by_id=creator_id, start__gte=since)
        .order_by("pk")
    )


def test_a_prepared_read_gives_what_its_queryset_gives(
    make_meeting, organiser, member, django_assert_num_queries
):
    early = make_meeting(title="早会")
    later = make_meeting(title="晚会")
    Participant.objects.create(meeting=later, user=member, role=MeetingRole.HOST)
    since = early.start - timedelta(days=1)
    prepared = Prepared(_meetings, -1, datetime(2000, 1, 1, tzinfo=UTC))
    for _ in range(2):  # compiled by the first call, reused by the second
        with django_assert_num_queries(1):
            got = prepared(organiser.pk, since)
        expected = list(_meetings(organiser.pk, since))
        assert [m.pk for m in got] == [m.pk for m in expected] == [early.pk, later.pk]
        for mine, theirs in zip(got, expected, strict=True):
            assert (mine.title, mine.start, mine.has_host) == (
                theirs.title,
                theirs.start,
                theirs.has_host,
            )
        with django_assert_num_queries(0):  # select_related objects came with the row
            assert [m.kind.code for m in got] == [m.kind.code for m in expected]
            assert got[0].created_by.username == organiser.username
    assert [m.has_host for m in got] == [False, True]
    assert prepared(member.pk, since) == []
    assert prepared(organiser.pk, later.start + timedelta(minutes=1)) == []


def test_values_list_rows_and_embedded_sql(make_meeting, organiser):
    meeting = make_meeting(title="周会")
    titles = Prepared(lambda pk: Meeting.objects.filter(pk=pk).values_list("title", "start"), -1)
    assert titles(meeting.pk) == [("周会", meeting.start)]
    sql, params = titles.sql(meeting.pk)
    assert params == [meeting.pk] and "title" in sql


def test_a_value_that_is_no_placeholder_is_refused(make_meeting):
    # The build turns the argument into another value: the compiled SQL could not take a new one.
    shifted = Prepared(lambda pk: Meeting.objects.filter(pk=pk + 1), -1)
    with pytest.raises(ImproperlyConfigured):
        shifted(1)


def test_insert_where_writes_only_when_the_condition_holds(make_meeting, member):
    meeting = make_meeting()
    first = Participant(meeting=meeting, user=member, role=MeetingRole.PARTICIPANT)
    assert insert_where(first, "1 = %s", [1])
    assert first.pk and Participant.objects.get(pk=first.pk).user_id == member.pk
    second = Participant(meeting=meeting, user=member, role=MeetingRole.PARTICIPANT)
    assert not insert_where(second, "1 = %s", [2])
    assert (
        second.pk is None and Participant.objects.filter(meeting=meeting, user=member).count() == 1
    )


def test_values_list_with_annotations_in_the_order_asked(make_meeting, organiser, member):
    meeting = make_meeting(title="周会")
    Participant.objects.create(meeting=meeting, user=member, role=MeetingRole.HOST)

    def build(pk: int):  # type: ignore[no-untyped-def]
        return (
            Meeting.objects.annotate(
                has_host=Exists(
                    Participant.objects.filter(meeting=OuterRef("pk"), role=MeetingRole.HOST)
                )
            )
            .filter(pk=pk)
            .values_list("has_host", "title", "start")
        )

    rows = Prepared(build, -1)(meeting.pk)
    assert rows == list(build(meeting.pk)) == [(True, "周会", meeting.start)]


def test_repeated_values_convert_once_but_are_never_shared_when_mutable(make_meeting, make_user):
    start = make_meeting().start
    meetings = [make_meeting(start=start) for _ in range(2)]
    for meeting in meetings:
        Participant.objects.create(
            meeting=meeting, user=make_user(), role=MeetingRole.PARTICIPANT, extra_roles=["note"]
        )
    read = Prepared(
        lambda since: (
            Participant.objects.filter(meeting__start__gte=since, role=MeetingRole.PARTICIPANT)
            .order_by("pk")
            .values_list("meeting__start", "extra_roles")
        ),
        datetime(2000, 1, 1, tzinfo=UTC),
    )
    (first_start, first_roles), (second_start, second_roles) = read(start)
    assert first_start == second_start == start and first_start.tzinfo is not None
    assert first_roles == second_roles == ["note"]
    first_roles.append("changed")
    assert second_roles == ["note"]


def test_a_read_made_after_another_is_freed_compiles_its_own_statement(make_meeting):
    # CPython gives a new object the id of one just freed; the cache must not take that as the
    # same read (a fresh-machine run once failed here, an index past the arguments).
    meeting = make_meeting(title="复用")
    seen = set()
    for _ in range(20):
        two = Prepared(
            lambda pk, title: Meeting.objects.filter(pk=pk, title=title).values_list("pk"),
            -1,
            "‹title›",
        )
        assert two(meeting.pk, "复用") == [(meeting.pk,)]
        seen.add(id(two))
        del two
        one = Prepared(lambda pk: Meeting.objects.filter(pk=pk).values_list("title"), -1)
        assert one(meeting.pk) == [("复用",)]
        seen.add(id(one))
        del one
    assert len(seen) < 40  # ids were reused, so the test did meet the case


def _planned_on_server() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_planned_once_reads_and_inserts_give_the_same_rows(
    make_meeting, organiser, member, django_assert_num_queries
):
    """`plan_once`: the same answers (with and without values of every kind: None, text, JSON,
    time), one statement each; on PostgreSQL the server keeps the plan, Django's own don't."""
    meeting = make_meeting(title="计划一次")
    since = meeting.start - timedelta(days=1)
    planned = Prepared(_meetings, -1, datetime(2000, 1, 1, tzinfo=UTC), plan_once=True)
    for _ in range(3):
        with django_assert_num_queries(1):
            got = planned(organiser.pk, since)
        assert [(m.pk, m.title, m.start, m.kind.code) for m in got] == [
            (m.pk, m.title, m.start, m.kind.code) for m in _meetings(organiser.pk, since)
        ]
    row = Participant(meeting=meeting, user=member, role=MeetingRole.HOST, extra_roles=["note"])
    with django_assert_num_queries(1):
        assert insert_where(row, "1 = %s", [1], plan_once=True)
    stored = Participant.objects.get(pk=row.pk)
    assert (stored.user_id, stored.role, stored.extra_roles) == (member.pk, "host", ["note"])
    if connection.vendor != "postgresql":
        return
    planned_sql = _planned_on_server()
    assert any("meetings_meeting" in sql and "SELECT" in sql for sql in planned_sql)
    assert any(sql.startswith('INSERT INTO "meetings_participant"') for sql in planned_sql)
    list(_meetings(organiser.pk, since))  # Django's own statements are not kept
    assert len(_planned_on_server()) == len(planned_sql)


def test_times_read_by_a_prepared_read_are_the_querysets(make_meeting):
    """On PostgreSQL a prepared read parses `timestamptz` with psycopg's compiled loader, not
    Django's: the same instants, aware and in UTC (`datetime.timezone.utc`), as Django's."""
    meeting = make_meeting(title="时区")
    times = Prepared(
        lambda pk: Meeting.objects.filter(pk=pk).values_list("start", "end", "created_at"), -1
    )
    mine = times(meeting.pk)[0]
    theirs = Meeting.objects.filter(pk=meeting.pk).values_list("start", "end", "created_at").get()
    assert mine == theirs == (meeting.start, meeting.end, meeting.created_at)
    assert all(value.tzinfo is UTC for value in (*mine, *theirs))


def _unwrapped(values: list[object]) -> list[object]:
    # psycopg's Jsonb and Inet wrappers do not compare by value: compare what they wrap.
    return [getattr(v, "obj", v) for v in values]


def test_row_values_are_what_save_would_send(make_meeting, member, monkeypatch):
    """The insert's fast value preparation gives what `get_db_prep_save(pre_save(...))` gives,
    for every kind of column an audit entry, a participant and a meeting have (None, text,
    JSON, an aware datetime, an address, foreign keys, a text choice, a bool, an int)."""
    from meetops.core.models import AuditEntry, AuditSource
    from meetops.core.prepared import row_values

    meeting = make_meeting(title="值")
    monkeypatch.setattr("django.utils.timezone.now", lambda: meeting.start)  # auto_now fields
    rows = [
        AuditEntry(
            created_at=meeting.start,
            actor_id=member.pk,
            action="x",
            object_type="meeting",
            object_id="1",
            changes={"a": [1, None]},
            data={"when": meeting.start, "名": "张三"},
            source=AuditSource.API,
            ip_address="::ffff:10.0.0.1",
            stream="meeting:1",
            seq=3,
            hash="h",
        ),
        AuditEntry(created_at=meeting.start, source="web", stream="s", seq=1, ip_address=None),
        Participant(meeting=meeting, user=member, role=MeetingRole.HOST, extra_roles=["note"]),
        meeting,
    ]
    for row in rows:
        fields = [f for f in row._meta.local_concrete_fields if not f.primary_key]
        slow = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
        if row.pk is not None:
            slow.insert(0, row._meta.pk.get_db_prep_save(row.pk, connection))  # type: ignore[union-attr]
        assert _unwrapped(row_values(row)) == _unwrapped(slow), type(row).__name__
