"""The follow-up rules as versions (P8.7, ADR 0027): the jobs and acceptance obey the version
in force; a proposal is decided by whoever may change the process and adopted as the next
version, audited and announced; pages and API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.followup import services
from meetops.followup.jobs import escalate_overdue_items, remind_action_owners
from meetops.followup.models import FollowupRules, ProposalState, RulesProposal
from meetops.followup.permissions import can_review
from meetops.followup.ruleset import current_rules
from meetops.followup.selectors import awaiting_acceptance_by
from meetops.followup.tests.conftest import fresh
from meetops.minutes import services as minutes_services
from meetops.notifications.models import OutboxMessage
from meetops.people.services import set_department_heads

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "remind_before_days": 1,
    "overdue_every_days": 1,
    "escalate_after_days": 3,
    "escalate_leaders_after_days": 6,
    "accepted_by": "managers",
}


def code_of(call: Callable[[], object]) -> str:
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


def in_force(**values: Any) -> FollowupRules:
    """Make a version with these values the current one (as adopting would)."""
    FollowupRules.objects.filter(is_current=True).update(is_current=False)
    number = FollowupRules.objects.count() + 1
    return FollowupRules.objects.create(
        **(DEFAULTS | values), version=number, is_current=True, adopted_at=timezone.now()
    )


def reminded(event: str = "action.due") -> set[str]:
    return set(
        OutboxMessage.objects.filter(event=event, channel="inapp").values_list("subject", flat=True)
    )


@pytest.fixture
def head(make_user, departments, admin_user):
    person = make_user("head", roles=("member",), department=departments["finance"])
    set_department_heads(departments["finance"], heads=[person], actor=admin_user)
    return person


def test_before_any_change_the_settings_and_defaults_are_in_force(settings):
    settings.MEETOPS_ESCALATE_AFTER_DAYS = 4
    rules = current_rules()
    assert (rules.version, rules.pk) == (0, None)
    assert {f: getattr(rules, f) for f in DEFAULTS} == DEFAULTS | {
        "escalate_after_days": 4,
        "escalate_leaders_after_days": 8,
    }


def test_the_reminder_job_follows_the_cadence_in_force(make_item):
    make_item(title="四天后到期", due_in=4)
    make_item(title="逾期两天", due_in=-2)
    assert remind_action_owners() == 1  # the default: the overdue one, daily; not yet the other
    assert not any("四天后到期" in s for s in reminded())
    OutboxMessage.objects.all().delete()

    in_force(remind_before_days=5, overdue_every_days=3)
    assert remind_action_owners() == 1
    assert any("四天后到期" in s for s in reminded())  # five days ahead now
    assert reminded("action.overdue") == set()  # overdue reminders on days 1, 4, 7…: not day 2


def test_the_escalation_job_follows_the_days_in_force(make_item, settings, head):
    late = make_item(title="逾期一天", due_in=-1)
    settings.MEETOPS_ESCALATE_AFTER_DAYS = 1  # ignored once a version is in force
    in_force(escalate_after_days=2, escalate_leaders_after_days=4)
    assert escalate_overdue_items() == 0
    in_force(escalate_after_days=1, escalate_leaders_after_days=1)
    assert escalate_overdue_items() == 1
    stages = list(late.escalations.order_by("id").values_list("stage", flat=True))
    assert stages == ["heads"]
    # The second stage comes after the version's own number of days, not twice the first.
    assert escalate_overdue_items() == 1
    assert list(late.escalations.order_by("id").values_list("stage", flat=True)) == [
        "heads",
        "leaders",
    ]


def test_who_accepts_follows_the_rules_in_force(make_item, owner, organiser, head, leader, meeting):
    from meetops.reports.models import Instruction, SummaryReport

    item = make_item(due_in=3)
    minutes_services.update_action(item, actor=owner, state="done", completion_note="完成")
    item = fresh(item, organiser)
    assert can_review(organiser, item) and not can_review(head, item)
    assert item.pk not in {a.pk for a in awaiting_acceptance_by(head)}

    in_force(accepted_by="with_heads")
    assert can_review(head, item) and can_review(organiser, item)
    assert item.pk in {a.pk for a in awaiting_acceptance_by(head)}

    report = SummaryReport.objects.create(meeting=meeting, title="报告")
    Instruction.objects.create(report=report, leader=leader, number=1, text="抓紧", action=item)
    in_force(accepted_by="leader_first")
    item = fresh(item, organiser)
    assert can_review(leader, item) and not can_review(organiser, item)
    assert item.pk not in {a.pk for a in awaiting_acceptance_by(organiser)}
    assert item.pk in {a.pk for a in awaiting_acceptance_by(leader)}
    assert code_of(lambda: services.accept_action(item, actor=organiser, quality=4)) == "forbidden"
    assert services.accept_action(item, actor=leader, quality=5).quality == 5


def test_a_proposal_adopted_becomes_the_next_version_and_the_jobs_use_it(
    make_item, organiser, admin_user, head, member
):
    make_item(title="三天后到期", due_in=3)
    assert remind_action_owners() == 0

    proposal = services.propose_rules_change(
        actor=organiser,
        values=DEFAULTS | {"remind_before_days": 3},
        reason="到期前一天提醒太晚",
    )
    assert (proposal.state, proposal.base_version) == (ProposalState.PROPOSED, 0)
    asks = OutboxMessage.objects.filter(event="followup.rules_proposed")
    assert set(asks.values_list("user__username", "channel")) == {("admin", "inapp")}
    assert current_rules().version == 0  # nothing changes before the decision

    decided = services.decide_rules_proposal(proposal, actor=admin_user, approve=True, comment="")
    assert (decided.state, decided.decided_by) == (ProposalState.ADOPTED, admin_user)
    rules = current_rules()
    assert (rules.version, rules.remind_before_days, rules.proposal) == (1, 3, decided)
    assert FollowupRules.objects.filter(is_current=True).count() == 1

    entries = AuditEntry.objects.filter(action__startswith="followup.rules.").order_by("id")
    assert [(e.action, e.actor_id) for e in entries] == [
        ("followup.rules.proposed", organiser.pk),
        ("followup.rules.adopted", admin_user.pk),
    ]
    assert entries[1].changes == {"remind_before_days": [1, 3]}
    assert entries[1].data["version"] == 1
    announced = OutboxMessage.objects.filter(event="followup.rules_adopted")
    assert set(announced.values_list("channel", flat=True)) == {"inapp"}
    assert set(announced.values_list("user__username", flat=True)) == {"organiser", "head"}
    assert OutboxMessage.objects.filter(event="followup.rules_decided", user=organiser).exists()

    assert remind_action_owners() == 1  # the new cadence, on the job's next run
    assert any("三天后到期" in s for s in reminded())


def test_proposals_are_checked_and_decided_once_by_someone_else(
    organiser, admin_user, member, make_user
):
    propose = services.propose_rules_change
    assert code_of(lambda: propose(actor=member, values=DEFAULTS, reason="x")) == "forbidden"
    assert (
        code_of(
            lambda: propose(
                actor=organiser, values=DEFAULTS | {"overdue_every_days": 0}, reason="x"
            )
        )
        == "invalid_days"
    )
    assert (
        code_of(
            lambda: propose(
                actor=organiser,
                values=DEFAULTS | {"escalate_after_days": 5, "escalate_leaders_after_days": 4},
                reason="x",
            )
        )
        == "leaders_before_heads"
    )
    assert (
        code_of(
            lambda: propose(actor=organiser, values=DEFAULTS | {"accepted_by": "x"}, reason="x")
        )
        == "unknown_accepted_by"
    )
    assert (
        code_of(lambda: propose(actor=organiser, values=DEFAULTS, reason="x")) == "nothing_changes"
    )
    assert (
        code_of(
            lambda: propose(actor=organiser, values=DEFAULTS | {"remind_before_days": 2}, reason="")
        )
        == "reason_required"
    )

    first = propose(actor=organiser, values=DEFAULTS | {"remind_before_days": 2}, reason="早提醒")
    second = propose(actor=organiser, values=DEFAULTS | {"overdue_every_days": 2}, reason="少打扰")
    own = propose(actor=admin_user, values=DEFAULTS | {"escalate_after_days": 2}, reason="快上报")
    decide = services.decide_rules_proposal
    assert code_of(lambda: decide(first, actor=organiser, approve=True)) == "forbidden"
    assert code_of(lambda: decide(own, actor=admin_user, approve=True)) == "own_submission"
    assert code_of(lambda: decide(first, actor=admin_user, approve=False)) == "comment_required"
    decide(first, actor=admin_user, approve=True)
    assert code_of(lambda: decide(first, actor=admin_user, approve=True)) == (
        "proposal_already_decided"
    )
    # The second was made against version 0; version 1 is in force now.
    assert code_of(lambda: decide(second, actor=admin_user, approve=True)) == "proposal_outdated"
    declined = decide(second, actor=admin_user, approve=False, comment="请按新版本重新提出")
    assert (declined.state, declined.decision_note) == ("rejected", "请按新版本重新提出")
    assert current_rules().version == 1 and FollowupRules.objects.count() == 1


def test_the_rules_api(api_as, organiser, admin_user, member):
    current = api_as(member).get("/api/v1/followup/rules").json()
    assert current["current"]["version"] == 0 and current["versions"] == []
    assert current["proposals"] == []

    body = DEFAULTS | {"escalate_after_days": 2, "escalate_leaders_after_days": 4, "reason": "快"}
    created = api_as(organiser).post("/api/v1/followup/rules/proposals", body)
    assert created.status_code == 201, created.content
    proposal = created.json()
    assert (proposal["state"], proposal["base_version"], proposal["escalate_after_days"]) == (
        "proposed",
        0,
        2,
    )
    refused = api_as(member).post("/api/v1/followup/rules/proposals", body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    bad = api_as(organiser).post(
        "/api/v1/followup/rules/proposals", body | {"escalate_leaders_after_days": 1}
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]) == {"code", "message", "details"}
    assert bad.json()["error"]["code"] == "leaders_before_heads"

    path = f"/api/v1/followup/rules/proposals/{proposal['id']}/decide"
    assert api_as(member).post(path, {"adopt": True}).status_code == 404
    assert api_as(organiser).post(path, {"adopt": True}).json()["error"]["code"] == "forbidden"
    adopted = api_as(admin_user).post(path, {"adopt": True})
    assert adopted.status_code == 200 and adopted.json()["adopted_version"] == 1
    rules = api_as(organiser).get("/api/v1/followup/rules").json()
    assert rules["current"] | {"adopted_at": None} == DEFAULTS | {
        "escalate_after_days": 2,
        "escalate_leaders_after_days": 4,
        "version": 1,
        "is_current": True,
        "reason": "快",
        "proposal_id": proposal["id"],
        "adopted_by": "admin",
        "adopted_at": None,
    }
    assert [p["state"] for p in rules["proposals"]] == ["adopted"]


def test_the_rules_pages_propose_and_decide(client, organiser, admin_user, member):
    client.force_login(organiser)
    form = client.get("/followup/rules/propose/")
    assert form.status_code == 200 and 'name="remind_before_days"' in form.content.decode()
    same = client.post("/followup/rules/propose/", DEFAULTS | {"reason": "x"})
    assert same.status_code == 200 and not RulesProposal.objects.exists()
    assert "errorlist" in same.content.decode()  # the form again, saying why
    sent = client.post(
        "/followup/rules/propose/", DEFAULTS | {"overdue_every_days": 2, "reason": "少打扰"}
    )
    assert sent.status_code == 302 and sent["Location"] == "/followup/rules/"
    page = client.get("/followup/rules/").content.decode()
    assert "少打扰" in page and "/decide/" not in page  # the proposer cannot decide it

    client.force_login(admin_user)
    page = client.get("/followup/rules/").content.decode()
    proposal_id = int(page.split('data-proposal-id="')[1].split('"')[0])
    adopted = client.post(f"/followup/rules/proposals/{proposal_id}/decide/", {"decision": "adopt"})
    assert adopted.status_code == 302 and current_rules().overdue_every_days == 2

    client.force_login(member)
    page = client.get("/followup/rules/")
    html = page.content.decode()
    assert page.status_code == 200 and "少打扰" in html  # the version in force and its reason
    assert "data-proposal-id" not in html  # but not the proposals
    assert client.get("/followup/rules/propose/").status_code == 403
    assert (
        client.post(
            f"/followup/rules/proposals/{proposal_id}/decide/", {"decision": "adopt"}
        ).status_code
        == 404
    )


def test_the_proposal_waits_for_the_decider_in_waiting_for_me(organiser, admin_user):
    from meetops.core.inbox import waiting_for

    services.propose_rules_change(
        actor=organiser, values=DEFAULTS | {"remind_before_days": 2}, reason="早提醒"
    )
    kinds = [w.kind for w in waiting_for(admin_user)]
    assert kinds.count("rules_proposal") == 1
    assert "rules_proposal" not in [w.kind for w in waiting_for(organiser)]


def test_without_a_second_number_the_organisers_hear_after_twice_the_days(make_item, head):
    make_item(due_in=-6)
    today = timezone.localdate()
    assert [e.stage for e in services.escalate_overdue(today=today, after_days=4)] == ["heads"]
    assert services.escalate_overdue(today=today, after_days=4) == []  # six days: not yet eight
    assert [e.stage for e in services.escalate_overdue(today=today, after_days=3)] == ["leaders"]
