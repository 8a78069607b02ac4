"""Deciding a budget from a Feishu card: the stand-in sends the card callback to MeetOps over
HTTP, encrypted and signed as the platform does, and MeetOps answers with the new card."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.servers import feishu_standin as standin

from meetops.budget import services as budget
from meetops.budget.models import BudgetStatus
from meetops.budget.notify import REQUESTED
from meetops.core.models import AuditEntry
from meetops.identity.models import ExternalIdentity
from meetops.notifications.models import OutboxMessage
from meetops.people.models import User
from meetops.workim.decisions import card_actions
from meetops.workim.platforms import PersonalMessage, get_platform

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LINES = [{"category": "venue", "planned": "3000.00", "note": "会议室"}]


def link(user: Any, user_id: str) -> None:
    ExternalIdentity.objects.create(user=user, provider="feishu", external_id=user_id)


@pytest.fixture
def submitted(make_meeting, make_user, organiser) -> Any:
    """A budget waiting for a leader linked to Feishu user u-leader (language zh-hans)."""
    leader = make_user("leader", roles=("leader",))
    leader.language = "zh-hans"
    leader.save(update_fields=["language"])
    link(leader, "u-leader")
    meeting = make_meeting(title="年度预算会")
    budget.save_budget(meeting, lines=LINES, actor=organiser)
    budget.submit_budget(meeting, actor=organiser)
    return meeting


def card_sent_to(feishu, user: Any) -> dict[str, Any]:
    """The leader's message for the request, sent through the Feishu platform as a card."""
    row = OutboxMessage.objects.filter(event=REQUESTED, user=user).first()
    message = PersonalMessage(
        title=row.subject,
        text=row.body,
        url="https://meetops.example/im/feishu/login/?next=/",
        language=row.language,
        actions=card_actions(row),
        dedupe_key=str(row.uuid),
    )
    get_platform("feishu").send_personal(platform_user_id="u-leader", message=message)
    return feishu.messages[-1]


def button(card: dict[str, Any], act: str) -> dict[str, Any]:
    form = next(e for e in card["elements"] if e["tag"] == "form")
    actions = next(e for e in form["elements"] if e["tag"] == "action")["actions"]
    return next(b["value"] for b in actions if b["value"]["act"] == act)


def test_a_leader_approves_from_the_card_exactly_once(feishu, submitted, live_server):
    leader = User.objects.get(username="leader")
    sent = card_sent_to(feishu, leader)
    assert sent["msg_type"] == "interactive" and sent["receive_id"] == "u-leader"
    labels = [
        b["text"]["content"] for b in sent["content"]["elements"][1]["elements"][1]["actions"]
    ]
    assert labels == ["批准", "退回"]
    url = f"{live_server.url}/im/feishu/card/"
    callback = feishu.card_action(
        user_id="u-leader", value=button(sent["content"], "approve"), message_id=sent["message_id"]
    )

    status, answer = feishu.post(url, callback)

    assert status == 200
    assert answer["toast"]["content"] == "已批准"
    assert "已批准" in json.dumps(answer["card"]["data"], ensure_ascii=False)
    submitted.budget.refresh_from_db()
    assert submitted.budget.status == BudgetStatus.APPROVED
    assert submitted.budget.decided_by == leader
    [entry] = AuditEntry.objects.filter(action="budget.budget.approved")
    assert (entry.source, entry.actor) == ("im", leader)

    # The platform delivers the same event again (same event id, new signature): nothing.
    status, again = feishu.post(url, callback)
    assert status == 200 and again["toast"]["content"].startswith("已处理")
    assert AuditEntry.objects.filter(action="budget.budget.approved").count() == 1
    # The very same request replayed byte for byte: refused before anything is read.
    body, headers = feishu.last_request
    assert feishu.post_raw(url, body, headers)[0] == 403


def test_a_second_leader_is_told_who_decided_first(feishu, submitted, live_server, make_user):
    other = make_user("deputy", roles=("leader",))
    link(other, "u-sec")
    leader = User.objects.get(username="leader")
    sent = card_sent_to(feishu, leader)
    value = button(sent["content"], "approve")
    url = f"{live_server.url}/im/feishu/card/"
    feishu.post(
        url, feishu.card_action(user_id="u-leader", value=value, message_id=sent["message_id"])
    )

    status, answer = feishu.post(
        url, feishu.card_action(user_id="u-sec", value=value, message_id=sent["message_id"])
    )
    assert status == 200
    assert "批准" in answer["toast"]["content"] and str(leader) in answer["toast"]["content"]
    assert AuditEntry.objects.filter(action="budget.budget.approved").count() == 1


def test_returning_needs_a_comment_and_the_permissions_of_the_presser_apply(
    feishu, submitted, live_server, make_user, member
):
    link(member, "u-t1")
    leader = User.objects.get(username="leader")
    sent = card_sent_to(feishu, leader)
    url = f"{live_server.url}/im/feishu/card/"
    back = button(sent["content"], "return")

    status, answer = feishu.post(
        url, feishu.card_action(user_id="u-leader", value=back, message_id=sent["message_id"])
    )
    assert status == 200 and "card" not in answer  # the buttons stay
    submitted.budget.refresh_from_db()
    assert submitted.budget.status == BudgetStatus.SUBMITTED

    # A member who got hold of the card may not decide: the service refuses them.
    status, answer = feishu.post(
        url,
        feishu.card_action(
            user_id="u-t1", value=button(sent["content"], "approve"), message_id=sent["message_id"]
        ),
    )
    assert status == 200 and "card" not in answer
    submitted.budget.refresh_from_db()
    assert submitted.budget.status == BudgetStatus.SUBMITTED

    status, answer = feishu.post(
        url,
        feishu.card_action(
            user_id="u-leader",
            value=back,
            message_id=sent["message_id"],
            form_value={"comment": "场地费偏高"},
        ),
    )
    assert answer["toast"]["content"] == "已退回"
    submitted.budget.refresh_from_db()
    assert (submitted.budget.status, submitted.budget.decision_comment) == (
        BudgetStatus.RETURNED,
        "场地费偏高",
    )


@pytest.mark.parametrize(
    "forge",
    [
        {"encrypt_key": "not-the-key"},
        {"sign": False},
        {"at": 1_600_000_000},
    ],
    ids=["wrong key", "unsigned", "stale"],
)
def test_a_forged_callback_is_refused(feishu, submitted, live_server, forge):
    leader = User.objects.get(username="leader")
    sent = card_sent_to(feishu, leader)
    callback = feishu.card_action(
        user_id="u-leader", value=button(sent["content"], "approve"), message_id=sent["message_id"]
    )
    status, _answer = feishu.post(f"{live_server.url}/im/feishu/card/", callback, **forge)
    assert status == 403
    wrong_token = feishu.event("card.action.trigger", callback["event"], token="guessed")
    status, _answer = feishu.post(f"{live_server.url}/im/feishu/card/", wrong_token)
    assert status == 403
    submitted.budget.refresh_from_db()
    assert submitted.budget.status == BudgetStatus.SUBMITTED


def test_the_url_challenge_is_answered(feishu, live_server):
    challenge = {
        "type": "url_verification",
        "challenge": "ch-7",
        "token": standin.VERIFICATION_TOKEN,
    }
    status, answer = feishu.post(f"{live_server.url}/im/feishu/events/", challenge, sign=False)
    assert (status, answer) == (200, {"challenge": "ch-7"})


def test_an_invitee_accepts_from_the_card_and_no_one_else_can(
    feishu, live_server, make_user, make_meeting, organiser
):
    member = make_user("invitee", email="invitee@example.edu.cn")
    from meetops.invitations.models import Invitation
    from meetops.invitations.services import invitations as invites
    from meetops.meetings import services as meetings

    link(member, "u-t1")
    other = make_user("other")
    link(other, "u-t2")
    meeting = make_meeting(title="教学例会")
    meetings.add_participant(meeting, actor=organiser, user=member)
    invites.send_invitations(meeting, actor=organiser, to="all")
    row = OutboxMessage.objects.filter(event="meeting.invited", user=member).first()
    [accept, _decline] = card_actions(row)
    value = {"act": "accept", **accept.value}
    url = f"{live_server.url}/im/feishu/card/"

    status, answer = feishu.post(
        url, feishu.card_action(user_id="u-t2", value=value, message_id="om_9")
    )
    assert status == 200 and "card" not in answer
    assert Invitation.objects.get(participant__user=member).response == ""

    status, answer = feishu.post(
        url, feishu.card_action(user_id="u-t1", value=value, message_id="om_9")
    )
    assert answer["toast"]["content"] == "已接受"
    assert Invitation.objects.get(participant__user=member).response == "accept"


def test_a_destruction_is_rejected_from_the_card_with_the_reason_in_the_comment_box(
    feishu, live_server, make_user, make_meeting, organiser
):
    from datetime import date, timedelta

    from meetops.meetings.models import Meeting
    from meetops.records import services as records
    from meetops.records.models import Destruction, Dossier
    from meetops.records.notify import PROPOSED

    leader = make_user("leader", roles=("leader",))
    leader.language = "zh-hans"
    leader.save(update_fields=["language"])
    link(leader, "u-leader")
    archivist = make_user("archivist", roles=("archivist",))
    meeting = make_meeting(title="旧会议")
    Meeting.objects.filter(pk=meeting.pk).update(stage="concluded")
    meeting.refresh_from_db()
    dossier, _docs = records.file_meeting(meeting, actor=organiser)
    Dossier.objects.filter(pk=dossier.pk).update(retain_until=date.today() - timedelta(days=1))
    dossier.refresh_from_db()
    proposal = records.propose_destruction(dossier, actor=archivist, reason="保管期满")
    row = OutboxMessage.objects.filter(event=PROPOSED, user=leader).first()
    [_approve, reject] = card_actions(row)
    url = f"{live_server.url}/im/feishu/card/"

    status, answer = feishu.post(
        url,
        feishu.card_action(
            user_id="u-leader",
            value={"act": "return", **reject.value},
            message_id="om_d1",
            form_value={"comment": "仍需留存备查"},
        ),
    )

    assert status == 200 and answer["toast"]["content"] == "已退回"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note, proposal.decided_by) == (
        "rejected",
        "仍需留存备查",
        leader,
    )
    [entry] = AuditEntry.objects.filter(action="records.destruction.rejected")
    assert (entry.source, entry.actor) == ("im", leader)
    assert Destruction.objects.count() == 1


def test_the_redrawn_card_speaks_its_recipients_language(feishu, submitted, live_server, make_user):
    """The card went to the leader, who reads English now: whoever presses it and whatever
    language the request asks for, the card is redrawn in English (toast, outcome, link)."""
    leader = User.objects.get(username="leader")
    sent = card_sent_to(feishu, leader)  # sent in Simplified Chinese, as the leader read then
    leader.language = "en"
    leader.save(update_fields=["language"])
    deputy = make_user("deputy", roles=("leader",))
    deputy.language = "zh-hant"
    deputy.save(update_fields=["language"])
    link(deputy, "u-sec")
    url = f"{live_server.url}/im/feishu/card/"
    value = button(sent["content"], "approve")

    status, answer = feishu.post(
        url,
        feishu.card_action(user_id="u-leader", value=value, message_id=sent["message_id"]),
        accept_language="zh-hant",
    )
    assert status == 200 and answer["toast"]["content"] == "Approved"
    card = json.dumps(answer["card"]["data"], ensure_ascii=False)
    assert "**Approved**" in card and "Open in MeetOps" in card

    status, answer = feishu.post(
        url,
        feishu.card_action(user_id="u-sec", value=value, message_id=sent["message_id"]),
        accept_language="zh-hans",
    )
    assert answer["toast"]["content"] == f"Approved by {leader}"
    assert "Open in MeetOps" in json.dumps(answer["card"]["data"], ensure_ascii=False)

    # The leader's own reading changes: the next redraw follows it.
    leader.language = "zh-hant"
    leader.save(update_fields=["language"])
    status, answer = feishu.post(
        url,
        feishu.card_action(user_id="u-leader", value=value, message_id=sent["message_id"]),
        accept_language="en",
    )
    assert answer["toast"]["content"] == f"已由{leader}批准"
    assert "在 MeetOps 中打開" in json.dumps(answer["card"]["data"], ensure_ascii=False)
