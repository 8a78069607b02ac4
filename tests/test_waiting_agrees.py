"""What waits on a person is counted once and shown the same everywhere (issue 16 finding 2,
ADR 0021): the dashboard's "Need me", the menu badge, the inbox page and its API, and the daily
digest all read `core.inbox.waiting_for`. Walked as every persona of the demo organisation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetops.core.demo import DEMO_LOGINS
from meetops.core.inbox import waiting_for
from meetops.people.models import User

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'class="menu-badge" data-count="(\d+)"')
STAT = re.compile(r'data-waiting="(\d+)"')


def _shown(client: Client) -> dict[str, int]:
    dashboard = client.get("/").content.decode()
    badge = client.get("/approvals/badge/").content.decode()
    inbox = client.get("/approvals/")
    api = client.get("/api/v1/approvals").json()
    return {
        "dashboard": int(STAT.search(dashboard).group(1)),  # type: ignore[union-attr]
        "dashboard list": dashboard.count('<li data-kind="') if "data-kind" in dashboard else 0,
        "badge": int(BADGE.search(badge).group(1)),  # type: ignore[union-attr]
        "inbox": len(inbox.context["items"]),
        "api": len(api),
        "api count": client.get("/api/v1/approvals/count").json()["count"],
    }


def test_dashboard_badge_inbox_and_api_agree_for_every_demo_persona(meetops_cli) -> None:  # type: ignore[no-untyped-def]
    from meetops.improvement.services.cases import nominate_case

    code, _out, err = meetops_cli("demo")
    assert code == 0, err
    # The walk of issue 16 found a nominated case waiting for the leader on no dashboard.
    nominate_case(
        actor=User.objects.get(username="wangfang"),
        title="兄弟单位经验：会前材料清单",
        summary="摘要",
        success_factors="要点",
        source="兄弟单位",
        submit=True,
    )
    counts = {}
    for username, _persona in DEMO_LOGINS["users"]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        shown = _shown(client)
        total = shown["inbox"]
        # The dashboard lists the first rows; every other place gives the whole count.
        assert shown["dashboard list"] == min(total, 8), username
        assert {k: v for k, v in shown.items() if k != "dashboard list"} == dict.fromkeys(
            ("dashboard", "badge", "inbox", "api", "api count"), total
        ), username
        counts[username] = total
    # The leader approves: what /approvals/ held for him is on his dashboard too.
    assert counts["liming"] > 0


def test_the_selector_costs_the_same_whatever_waits(make_meeting, organiser, make_user) -> None:  # type: ignore[no-untyped-def]
    from meetops.improvement.services.cases import nominate_case
    from meetops.invitations.services.invitations import send_invitations
    from meetops.meetings import services as meetings
    from meetops.minutes.models import ActionItem

    leader = make_user("approver", roles=("leader",))

    def add_items(n: int) -> None:
        for i in range(n):
            meeting = make_meeting(title=f"会{i}")
            meetings.add_participant(meeting, actor=organiser, user=leader)
            meeting.stage = "preparing"
            meeting.save(update_fields=["stage"])
            send_invitations(meeting, actor=organiser, to="all")
            ActionItem.objects.create(meeting=meeting, title=f"加办{i}", owner=leader)
            nominate_case(
                actor=organiser,
                title=f"外部经验{i}",
                summary="摘要",
                success_factors="要点",
                source="兄弟单位",
                submit=True,
            )

    def cost() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            items = waiting_for(leader)
        return len(queries.captured_queries), sorted({i.kind for i in items})

    add_items(1)
    cost()  # the person's roles are read once and kept
    one = cost()
    add_items(3)
    assert len(waiting_for(leader)) == 12
    assert cost() == one and one[1] == ["action", "case", "rsvp"]


@pytest.fixture
def leader(make_user):  # type: ignore[no-untyped-def]
    return make_user("leader", roles=("leader",))


def test_a_submitted_case_tells_the_approvers_and_waits_in_their_inbox(  # type: ignore[no-untyped-def]
    organiser, leader, client
) -> None:
    from meetops.improvement.services.cases import nominate_case
    from meetops.notifications.models import OutboxMessage

    case = nominate_case(
        actor=organiser,
        title="外部经验：材料前置",
        summary="摘要",
        success_factors="要点",
        source="兄弟单位",
        submit=True,
    )
    told = OutboxMessage.objects.filter(event="improvement.case.waiting", user=leader)
    assert told.exists()
    assert not OutboxMessage.objects.filter(event="improvement.case.waiting", user=organiser)
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert case.title in page and 'data-waiting="1"' in page


def test_the_daily_digest_names_what_has_waited_a_day(organiser, leader) -> None:  # type: ignore[no-untyped-def]
    import time_machine
    from django.utils import timezone

    from meetops.improvement.services.cases import nominate_case
    from meetops.notifications.digest import send_waiting_digests
    from meetops.notifications.models import OutboxMessage

    nominate_case(
        actor=organiser,
        title="外部经验：会后复盘",
        summary="摘要",
        success_factors="要点",
        source="兄弟单位",
        submit=True,
    )
    assert send_waiting_digests() == 0  # just announced by its own notice
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert send_waiting_digests() == 1  # the leader; the organiser has nothing waiting
        send_waiting_digests()  # once a day
    digest = OutboxMessage.objects.get(event="waiting.digest", user=leader, channel="inapp")
    assert "外部经验：会后复盘" in digest.body and "1" in digest.subject
    assert not OutboxMessage.objects.filter(event="waiting.digest", user=organiser).exists()
    assert OutboxMessage.objects.filter(event="waiting.digest", user=leader).count() == 1


def _submit_everything_in_the_demo() -> None:
    """Something waits in every source, submitted by different personas, so that the
    comparison below meets each source's rules (own submissions, roles, hosts, visibility)."""
    from meetops.budget.models import Budget, BudgetStatus, SettlementStatus
    from meetops.improvement.services.cases import nominate_case
    from meetops.invitations.models import Invitation, Response
    from meetops.meetings.models import Meeting, Stage, frozen_q
    from meetops.minutes.models import ActionItem, ActionState, Minutes, MinutesState
    from meetops.records.models import Destruction, Dossier
    from meetops.reports.models import ReportApproval, ReportState, SummaryReport
    from meetops.risks.models import EmergencyPlan, PlanStatus, SecurityPlan
    from meetops.venues.models import Booking, BookingStatus

    people = {u.username: u for u in User.objects.all()}
    wang, li, chen, zhao = (people[n] for n in ("wangfang", "liming", "chenjing", "zhaomin"))
    then = timezone.now() - timedelta(days=2)
    live = ~frozen_q("meeting__")
    Budget.objects.filter(live).update(
        status=BudgetStatus.SUBMITTED,
        submitted_by=wang,
        submitted_at=then,
        settlement_status=SettlementStatus.SUBMITTED,
        settlement_submitted_by=li,
        settlement_submitted_at=then,
    )
    Minutes.objects.update(state=MinutesState.SUBMITTED, submitted_by=chen, submitted_at=then)
    EmergencyPlan.objects.update(status=PlanStatus.SUBMITTED, submitted_by=wang, submitted_at=then)
    SecurityPlan.objects.update(status=PlanStatus.SUBMITTED, submitted_by=li, submitted_at=then)
    meetings = Meeting.objects.exclude(frozen_q()).order_by("pk")
    for meeting in meetings.filter(security_plan__isnull=True)[:2]:
        SecurityPlan.objects.create(
            meeting=meeting, status=PlanStatus.SUBMITTED, submitted_by=wang, submitted_at=then
        )
    for meeting in meetings.filter(summary_report__isnull=True)[:2]:
        SummaryReport.objects.create(meeting=meeting, title=f"{meeting.title}总结")
    for report in SummaryReport.objects.all():
        report.state, report.submitted_by, report.submitted_at = ReportState.SUBMITTED, wang, then
        report.save(update_fields=["state", "submitted_by", "submitted_at"])
        for leader in (li, people["admin"]):
            ReportApproval.objects.get_or_create(report=report, leader=leader)
    Booking.objects.update(status=BookingStatus.PENDING)
    done = ActionItem.objects.filter(live).order_by("pk").values("pk")[:4]
    ActionItem.objects.filter(pk__in=done).update(state=ActionState.DONE, completed_at=then)
    Invitation.objects.filter(
        meeting__stage__in=[Stage.PREPARING, Stage.READY], meeting__start__gt=timezone.now()
    ).update(response=Response.NONE, first_sent_at=then, revoked_at=None)
    for dossier in Dossier.objects.all()[:2]:
        Destruction.objects.create(dossier=dossier, reason="期满", proposed_by=zhao)
    nominate_case(
        actor=wang,
        title="兄弟单位经验：会前材料清单",
        summary="摘要",
        success_factors="要点",
        source="兄弟单位",
        submit=True,
    )


def test_many_at_once_gives_each_persona_exactly_what_they_get_alone(meetops_cli) -> None:  # type: ignore[no-untyped-def]
    """The digest's batched path (`waiting_for_many`) against each person's own
    (`waiting_for`): a batched source that drifts from its single version fails here."""
    from meetops.core.inbox import waiting_for_many

    code, _out, err = meetops_cli("demo")
    assert code == 0, err
    _submit_everything_in_the_demo()
    names = [username for username, _persona in DEMO_LOGINS["users"]]
    alone = {user.pk: waiting_for(user) for user in User.objects.filter(username__in=names)}
    people = list(User.objects.filter(username__in=names).order_by("pk"))
    together = waiting_for_many(people)
    assert together == alone
    kinds = {u.username: sorted({i.kind for i in alone[u.pk]}) for u in people}
    # The comparison meets every source that has a batched path (rules proposals aside).
    assert set().union(*kinds.values()) >= {
        "acceptance",
        "action",
        "booking",
        "budget",
        "case",
        "destruction",
        "emergency_plan",
        "escalation",
        "minutes",
        "report",
        "rsvp",
        "security_plan",
        "settlement",
    }, kinds
    assert kinds["wangfang"] != kinds["liming"] != kinds["admin"]


def test_the_digest_reads_what_waits_on_20_people_in_the_queries_it_takes_for_1(  # type: ignore[no-untyped-def]
    make_meeting, organiser, make_user
) -> None:
    from meetops.minutes.models import ActionItem
    from meetops.notifications import digest

    meeting = make_meeting(title="周例会")
    then = timezone.now() - timedelta(days=2)

    def waiting_people(n: int) -> None:
        for i in range(n):
            # The first person holds both roles: a source that no one present could be asked
            # by reads nothing (ADR 0021), so 1 and 20 people must reach the same sources.
            roles = ("leader", "member") if i == 0 else ("leader",) if i % 2 else ("member",)
            person = make_user(roles=roles)
            item = ActionItem.objects.create(meeting=meeting, title=f"事项{i}", owner=person)
            ActionItem.objects.filter(pk=item.pk).update(created_at=then)

    def cost(run) -> int:  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as queries:
            run()
        return len(queries.captured_queries)

    waiting_people(1)
    selector_one = cost(lambda: list(digest._waiting()))
    digest_one = cost(digest.send_waiting_digests)
    waiting_people(19)
    selector_twenty = cost(lambda: list(digest._waiting()))
    digest_twenty = cost(digest.send_waiting_digests)
    # What waits is read in the same queries for 1 or 20 people (a batch holds 500) ...
    assert selector_twenty == selector_one
    # ... and each further message costs what queuing one message costs, nothing more.
    assert (digest_twenty - digest_one) == 19 * PER_MESSAGE, (digest_one, digest_twenty)


# Queuing one person's digest: its savepoint and release, the channel preferences, the dedupe
# check, the outbox rows.
PER_MESSAGE = 4
