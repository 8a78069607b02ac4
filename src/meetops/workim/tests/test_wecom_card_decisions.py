"""Deciding from a WeCom template card (reference §1.6): what waits on one person reaches them
as a `button_interaction` card whose button keys carry the decision's reference; WeCom's
`template_card_event` comes back to MeetOps over HTTP, encrypted and signed by the stand-in;
the same service as the page decides, audited with source `im`; the card's buttons are
replaced through `update_template_card`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from tests.servers.wecom_standin import WeComStandIn

from meetops.core.models import AuditEntry
from meetops.identity.models import ExternalIdentity
from meetops.invitations.models import Invitation, SubstituteStatus
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.meetings.models import Attendance, Participant
from meetops.notifications.models import Channel, OutboxMessage
from meetops.notifications.worker import Worker
from meetops.people.models import User
from meetops.records import services as records
from meetops.records.models import Destruction, DestructionStatus, Dossier
from meetops.reports import services as reports
from meetops.reports.models import ReportState
from meetops.risks import services as risks
from meetops.risks.models import EmergencyPlan, PlanStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def link(user: User, userid: str) -> User:
    ExternalIdentity.objects.create(user=user, provider="wecom", external_id=userid)
    return user


def leader(make_user: Any, userid: str) -> User:
    """A leader reading Chinese, linked to the WeCom member `userid`."""
    user = make_user(userid, roles=("leader",))
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    return link(user, userid)


@pytest.fixture
def events_url(live_server: Any) -> str:
    return f"{live_server.url}/im/wecom/events/"


def card_to(wecom: WeComStandIn, userid: str) -> dict[str, Any]:
    """The outbox sends what waits; the one template card WeCom received for `userid`."""
    Worker().run_once(with_jobs=False)
    cards = [
        m["template_card"]
        for m in wecom.sent
        if m["touser"] == userid and m["msgtype"] == "template_card"
    ]
    assert len(cards) == 1, wecom.sent
    return cards[0]


def press(
    wecom: WeComStandIn, url: str, card: dict[str, Any], userid: str, index: int
) -> tuple[int, str]:
    key = card["button_list"][index]["key"]
    return wecom.card_click(url, userid=userid, key=key, task_id=card["task_id"])


def last_button(wecom: WeComStandIn) -> str:
    return str(wecom.card_updates[-1]["button"]["replace_name"])


@pytest.fixture
def plan_submitted(make_meeting: Any, organiser: Any, make_user: Any) -> Any:
    """An emergency plan submitted by the organiser; two leaders linked to WeCom."""
    leader(make_user, "zhangsan")
    leader(make_user, "lisi")
    meeting = make_meeting(title="校庆大会")
    risks.save_plan(meeting, actor=organiser, sections={"evacuation": "东门疏散"})
    risks.submit_plan(meeting, actor=organiser)
    return meeting


def test_a_submitted_plan_reaches_each_leader_with_buttons_carrying_its_reference(
    wecom: WeComStandIn, plan_submitted: Any
) -> None:
    card = card_to(wecom, "zhangsan")
    plan = EmergencyPlan.objects.get(meeting=plan_submitted)
    version = int(plan.submitted_at.timestamp())
    assert [b["key"] for b in card["button_list"]] == [
        f"approve/risks.emergency_plan/{plan.pk}.{version}",
        f"return/risks.emergency_plan/{plan.pk}.{version}",
    ]
    assert [b["text"] for b in card["button_list"]] == ["批准", "退回"]
    assert "校庆大会" in card["main_title"]["title"]
    assert card["card_action"]["url"].split("?")[0].endswith("/im/wecom/login/")
    assert card_to(wecom, "lisi")["task_id"] != card["task_id"]
    # Sent once per leader, however often the worker runs.
    assert OutboxMessage.objects.filter(channel=Channel.IM).count() == 2


def test_a_leader_approves_the_plan_from_the_card_once_and_the_card_shows_it(
    wecom: WeComStandIn, plan_submitted: Any, events_url: str
) -> None:
    card = card_to(wecom, "zhangsan")
    zhangsan = User.objects.get(username="zhangsan")

    # Returning needs a note, which WeCom's buttons cannot carry: nothing happens, and the
    # button now points to the card (which opens the page).
    assert press(wecom, events_url, card, "zhangsan", 1) == (200, "")
    assert EmergencyPlan.objects.get().status == PlanStatus.SUBMITTED
    assert last_button(wecom) == "点开卡片处理"

    assert press(wecom, events_url, card, "zhangsan", 0) == (200, "")
    plan = EmergencyPlan.objects.get()
    assert (plan.status, plan.decided_by) == (PlanStatus.APPROVED, zhangsan)
    [entry] = AuditEntry.objects.filter(action="risks.plan.approved")
    assert (entry.source, entry.actor) == ("im", zhangsan)
    update = wecom.card_updates[-1]
    assert update["userids"] == ["zhangsan"] and update["button"]["replace_name"] == "已批准"
    # Every update used the response code of its own click (single-use codes, 72 h).
    assert len(wecom.card_updates) == 2

    # The very same callback replayed byte for byte: refused before anything is read.
    assert wecom.replay_last()[0] == 403
    # The second leader presses later: told who decided first, nothing more is decided.
    assert press(wecom, events_url, card_to(wecom, "lisi"), "lisi", 0)[0] == 200
    assert last_button(wecom) == "已由zhangsan批准"
    assert AuditEntry.objects.filter(action="risks.plan.approved").count() == 1


@pytest.mark.parametrize(
    "forge",
    [{"signature": "0" * 40}, {"receive_id": "ww-another-corp"}, {"timestamp": 1_600_000_000}],
    ids=["bad signature", "another corp", "stale"],
)
def test_a_forged_card_click_is_refused_and_decides_nothing(
    wecom: WeComStandIn, plan_submitted: Any, events_url: str, forge: dict[str, Any]
) -> None:
    card = card_to(wecom, "zhangsan")
    key, task_id = card["button_list"][0]["key"], card["task_id"]
    status, _body = wecom.card_click(
        events_url, userid="zhangsan", key=key, task_id=task_id, **forge
    )
    assert status == 403
    assert EmergencyPlan.objects.get().status == PlanStatus.SUBMITTED
    assert wecom.card_updates == []


def test_a_summary_report_is_approved_from_the_card_by_its_leader_only(
    wecom: WeComStandIn, events_url: str, make_meeting: Any, organiser: Any, make_user: Any
) -> None:
    chosen = leader(make_user, "zhangsan")
    other = leader(make_user, "lisi")
    meeting = make_meeting(title="年度总结会")
    meetings.add_participant(meeting, actor=organiser, user=chosen)
    meetings.add_participant(meeting, actor=organiser, user=other)
    reports.save_report(meeting, actor=organiser, fields={"title": "总结", "summary": "完成"})
    report = reports.submit_report(meeting.summary_report, actor=organiser, leaders=[chosen])
    card = card_to(wecom, "zhangsan")
    assert card["button_list"][0]["key"].startswith("approve/reports/")
    assert not [m for m in wecom.sent if m["touser"] == "lisi"]  # not chosen: not asked

    # lisi got hold of the card: the service refuses them (not one the report went to).
    assert press(wecom, events_url, card, "lisi", 0)[0] == 200
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    assert press(wecom, events_url, card, "zhangsan", 0)[0] == 200
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    [entry] = AuditEntry.objects.filter(action="reports.report.approved")
    assert (entry.source, entry.actor) == ("im", chosen)
    assert last_button(wecom) == "已批准"


def test_leave_with_a_substitute_reaches_the_organiser_who_accepts_from_the_card(
    wecom: WeComStandIn, events_url: str, make_meeting: Any, organiser: Any, make_user: Any
) -> None:
    link(organiser, "zhangsan")
    invitee = make_user("invitee", email="invitee@example.edu.cn")
    meeting = make_meeting(title="党委会")
    meetings.add_participant(meeting, actor=organiser, user=invitee)
    Participant.objects.filter(user=invitee).update(attendance=Attendance.REQUIRED)
    invites.send_invitations(meeting, actor=organiser, to="all")
    invitation = Invitation.objects.get(participant__user=invitee)
    invites.respond(
        invitation, response="substitute", reason="出差", substitute={"name": "孙副主任"}
    )

    card = card_to(wecom, "zhangsan")
    assert "孙副主任" in card["main_title"]["desc"] or "孙副主任" in card["main_title"]["title"]
    assert [b["text"] for b in card["button_list"]] == ["接受", "谢绝"]
    assert press(wecom, events_url, card, "zhangsan", 0)[0] == 200
    invitation.refresh_from_db()
    assert invitation.substitute_status == SubstituteStatus.ACCEPTED
    assert meeting.participants.filter(name="孙副主任").exists()
    [entry] = AuditEntry.objects.filter(action="invitations.substitute.accepted")
    assert (entry.source, entry.actor) == ("im", organiser)
    assert last_button(wecom) == "已接受"


def test_a_destruction_proposal_reaches_the_leaders_and_approving_needs_the_page(
    wecom: WeComStandIn, events_url: str, make_meeting: Any, organiser: Any, make_user: Any
) -> None:
    decider = leader(make_user, "zhangsan")
    archivist = make_user("archivist", roles=("archivist",))
    meeting = make_meeting(title="旧会议")
    meeting.__class__.objects.filter(pk=meeting.pk).update(stage="concluded")
    meeting.refresh_from_db()
    dossier, _docs = records.file_meeting(meeting, actor=organiser)
    Dossier.objects.filter(pk=dossier.pk).update(retain_until=date.today() - timedelta(days=1))
    dossier.refresh_from_db()
    proposal = records.propose_destruction(dossier, actor=archivist, reason="保管期满")

    card = card_to(wecom, "zhangsan")
    assert card["button_list"][0]["key"] == f"approve/records.destruction/{proposal.pk}.0"
    link_next = parse_qs(urlsplit(card["card_action"]["url"]).query)["next"]
    assert link_next == [f"/archive/destruction/?proposal={proposal.pk}"]
    # Approving names the two 监销人, which a button cannot: the page is the way.
    assert press(wecom, events_url, card, "zhangsan", 0)[0] == 200
    assert Destruction.objects.get().status == DestructionStatus.PROPOSED
    assert last_button(wecom) == "点开卡片处理"
    assert not AuditEntry.objects.filter(action="records.destruction.approved").exists()
    assert decider.pk != archivist.pk


def speaks(user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_the_card_update_speaks_its_recipients_language_not_the_requests(
    wecom: WeComStandIn, plan_submitted: Any, events_url: str
) -> None:
    """An English reader's card says "Open the card to decide" and "Approved" though WeCom's
    request carries no language (the site's Simplified Chinese is active), and a zh-Hant
    reader's says it in Traditional Chinese though the request asks for English."""
    zhangsan = speaks(User.objects.get(username="zhangsan"), "en")
    speaks(User.objects.get(username="lisi"), "zh-hant")
    card = card_to(wecom, "zhangsan")

    assert press(wecom, events_url, card, "zhangsan", 1) == (200, "")
    assert last_button(wecom) == "Open the card to decide"
    assert press(wecom, events_url, card, "zhangsan", 0) == (200, "")
    assert last_button(wecom) == "Approved"
    assert EmergencyPlan.objects.get().decided_by == zhangsan

    other = card_to(wecom, "lisi")
    status, _body = wecom.card_click(
        events_url,
        userid="lisi",
        key=other["button_list"][1]["key"],
        task_id=other["task_id"],
        accept_language="en",
    )
    assert status == 200
    assert last_button(wecom) == "已由zhangsan批准"
    # Not decided yet: the way on, in Traditional Chinese.
    EmergencyPlan.objects.update(status=PlanStatus.SUBMITTED)
    wecom.card_click(
        events_url,
        userid="lisi",
        key=other["button_list"][1]["key"],
        task_id=other["task_id"],
        accept_language="en",
    )
    assert last_button(wecom) == "點開卡片處理"


@pytest.mark.parametrize(
    ("first", "button", "status", "told"),
    [
        (0, 0, SubstituteStatus.ACCEPTED, "已由{}接受"),
        (1, 1, SubstituteStatus.REFUSED, "已由{}谢绝"),
    ],
    ids=["accepted", "refused"],
)
def test_a_second_organiser_pressing_the_leave_card_is_told_who_decided_first_and_what(
    wecom: WeComStandIn,
    events_url: str,
    make_meeting: Any,
    organiser: Any,
    make_user: Any,
    first: int,
    button: int,
    status: str,
    told: str,
) -> None:
    link(organiser, "zhangsan")
    co = link(make_user("co", roles=("organiser",)), "lisi")
    invitee = make_user("invitee", email="invitee@example.edu.cn")
    meeting = make_meeting(title="党委会")
    meetings.add_participant(meeting, actor=organiser, user=co, role="organiser")
    meetings.add_participant(meeting, actor=organiser, user=invitee)
    Participant.objects.filter(user=invitee).update(attendance=Attendance.REQUIRED)
    invites.send_invitations(meeting, actor=organiser, to="all")
    invitation = Invitation.objects.get(participant__user=invitee)
    invites.respond(
        invitation, response="substitute", reason="出差", substitute={"name": "孙副主任"}
    )
    cards = {"zhangsan": card_to(wecom, "zhangsan"), "lisi": card_to(wecom, "lisi")}
    deciders = [("zhangsan", organiser), ("lisi", co)]
    userid, decider = deciders[first]
    late, _late_user = deciders[1 - first]

    assert press(wecom, events_url, cards[userid], userid, button)[0] == 200
    invitation.refresh_from_db()
    assert (invitation.substitute_status, invitation.substitute_decided_by) == (status, decider)

    # The other organiser presses the opposite answer later: told who decided first and what;
    # nothing more is decided.
    assert press(wecom, events_url, cards[late], late, 1 - button)[0] == 200
    assert last_button(wecom) == told.format(decider)
    invitation.refresh_from_db()
    assert invitation.substitute_status == status
    assert meeting.participants.filter(name="孙副主任").count() == (
        1 if status == SubstituteStatus.ACCEPTED else 0
    )
