"""Each "Waiting for me" rule exists once (ADR 0021, amendment of 2026-12-07): one person's
inbox is the batch of one, and a decision flow's inbox is its authorising predicate
(`DecisionFlow.waits_on`). Situations the demo does not have, as a table: who is asked to
review minutes (host, co-host by a further role, no host, the host submitted them, a closed
meeting, admins), and proposals to change the follow-up rules (a source the demo never
fills). For each case: what each person's own inbox lists, that the digest's batch for
everybody lists the same, and that whoever is asked may decide it and whoever may not is not
asked. (Acceptance under the rules of ADR 0022 is walked in `followup/tests/test_rules.py`
against `permissions.can_review`.)"""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.inbox import waiting_for, waiting_for_many
from meetops.meetings.models import MeetingRole, Participant, Stage
from meetops.minutes.decisions import REVIEW
from meetops.minutes.models import Minutes, MinutesState
from meetops.minutes.permissions import can_decide_minutes

pytestmark = pytest.mark.django_db

ROLES = {"admin": ("admin",), "creator": ("organiser",)}
PEOPLE = ("creator", "host", "cohost", "writer", "organiser2", "member", "admin")


def _kinds(user: Any, kind: str) -> int:
    return sum(1 for item in waiting_for(user) if item.kind == kind)


@pytest.mark.parametrize(
    ("hosts", "submitter", "frozen", "asked"),
    [
        # The host reviews what the writer submitted.
        (("host",), "writer", False, {"host"}),
        # A co-host (host as a further role) is a host.
        (("cohost",), "writer", False, {"cohost"}),
        (("host", "cohost"), "writer", False, {"host", "cohost"}),
        # No host: those who manage the meeting (its creator and organisers), not admins.
        ((), "writer", False, {"creator", "organiser2"}),
        # The host submitted them: the managers, never the host themself.
        (("host",), "host", False, {"creator", "organiser2"}),
        # One host submitted them, another host is still asked, with the managers.
        (("host", "cohost"), "host", False, {"cohost", "creator", "organiser2"}),
        # A manager submitted them on a meeting without a host: the other managers.
        ((), "organiser2", False, {"creator"}),
        # A closed meeting waits on nobody.
        (("host",), "writer", True, set()),
    ],
)
def test_who_is_asked_to_review_minutes(  # type: ignore[no-untyped-def]
    make_user, make_meeting, hosts, submitter, frozen, asked
) -> None:
    people = {name: make_user(name, roles=ROLES.get(name, ("member",))) for name in PEOPLE}
    meeting = make_meeting(actor=people["creator"], title="评审会")
    meeting.created_by = people["creator"]
    meeting.save(update_fields=["created_by"])
    for name in hosts:
        role, extra = (
            (MeetingRole.HOST, [])
            if name == "host"
            else (MeetingRole.PARTICIPANT, [MeetingRole.HOST])
        )
        Participant.objects.create(meeting=meeting, user=people[name], role=role, extra_roles=extra)
    Participant.objects.create(
        meeting=meeting, user=people["organiser2"], role=MeetingRole.ORGANISER
    )
    Participant.objects.create(meeting=meeting, user=people["writer"], role=MeetingRole.RECORDER)
    Participant.objects.create(meeting=meeting, user=people["member"], role=MeetingRole.PARTICIPANT)
    Minutes.objects.filter(meeting=meeting).delete()
    Minutes.objects.create(
        meeting=meeting, state=MinutesState.SUBMITTED, submitted_by=people[submitter]
    )
    if frozen:
        meeting.stage = Stage.CLOSED
        meeting.save(update_fields=["stage"])

    alone = {name: _kinds(user, "minutes") for name, user in people.items()}
    assert {name for name, n in alone.items() if n} == asked
    together = waiting_for_many(list(people.values()))
    assert {
        name for name, user in people.items() if any(i.kind == "minutes" for i in together[user.pk])
    } == asked
    # Whoever is asked may decide; whoever is not asked may not, admins aside (they may
    # decide any minutes of an open meeting, and are not asked).
    minutes = Minutes.objects.select_related("meeting", "submitted_by").get(meeting=meeting)
    for name, user in people.items():
        fresh = Minutes.objects.select_related("meeting", "submitted_by").get(pk=minutes.pk)
        may = REVIEW.can_decide(user, fresh)
        if name in asked:
            assert may, name
        elif name != "admin":
            assert not may, name
        if name != submitter:  # the submitter is refused by the decision shape (`can_decide`)
            assert can_decide_minutes(user, fresh) == (
                name in asked or (name == "admin" and not frozen)
            ), name


def test_a_rules_proposal_waits_on_the_system_administrators_but_its_proposer(  # type: ignore[no-untyped-def]
    make_user,
) -> None:
    """A source the demo never fills: proposals to change the follow-up rules."""
    from meetops.followup.models import ProposalState, RulesProposal

    proposer = make_user("proposer", roles=("admin",))
    other = make_user("other_admin", roles=("admin",))
    leader = make_user("leader", roles=("leader",))
    RulesProposal.objects.create(
        state=ProposalState.PROPOSED,
        proposed_by=proposer,
        reason="试行",
        base_version=0,
        remind_before_days=2,
        overdue_every_days=1,
        escalate_after_days=3,
        escalate_leaders_after_days=7,
        accepted_by="managers",
    )
    everyone = [proposer, other, leader]
    assert [_kinds(u, "rules_proposal") for u in everyone] == [0, 1, 0]
    together = waiting_for_many(everyone)
    assert [sum(i.kind == "rules_proposal" for i in together[u.pk]) for u in everyone] == [0, 1, 0]


def _followup_world(make_user: Any, make_meeting: Any) -> dict[str, Any]:
    """Three people, items and escalations in every state the two follow-up rules tell apart."""
    from meetops.followup.models import Escalation, EscalationKind, EscalationState
    from meetops.minutes.models import ActionItem, ActionState

    people = {name: make_user(name) for name in ("ann", "bob", "cai")}
    live = make_meeting(title="例会")
    closed = make_meeting(title="已结束的会")
    closed.stage = Stage.CLOSED
    closed.save(update_fields=["stage"])

    def item(name: str, owner: str, state: str = ActionState.OPEN, meeting: Any = live) -> Any:
        return ActionItem.objects.create(
            meeting=meeting, title=name, owner=people[owner], state=state
        )

    items = {
        "ann_open": item("ann_open", "ann"),
        "ann_doing": item("ann_doing", "ann", ActionState.IN_PROGRESS),
        "ann_done": item("ann_done", "ann", ActionState.DONE),
        "ann_cancelled": item("ann_cancelled", "ann", ActionState.CANCELLED),
        "ann_closed_meeting": item("ann_closed_meeting", "ann", meeting=closed),
        "bob_open": item("bob_open", "bob"),
    }

    def escalate(on: str, to: tuple[str, ...], state: str = EscalationState.OPEN) -> None:
        e = Escalation.objects.create(
            action=items[on], kind=EscalationKind.DECISION, text=on, state=state
        )
        e.recipients.set([people[n] for n in to])

    escalate("ann_open", ("bob", "cai"))  # to two people: each of them answers
    escalate("ann_doing", ("bob",))
    escalate("bob_open", ("ann",), EscalationState.ANSWERED)  # answered: waits on nobody
    escalate("ann_done", ())  # sent to no one
    return {"people": people, "items": items}


def test_own_open_items_are_one_rule_for_the_page_and_the_inbox(  # type: ignore[no-untyped-def]
    make_user, make_meeting
) -> None:
    """`open_items_of` (one person) and the inbox's kind `action` (one person, and everybody at
    once) list the same items: open or in progress, owned by the person, meeting not closed."""
    from meetops.followup.selectors import open_items_of

    world = _followup_world(make_user, make_meeting)
    people, items = world["people"], world["items"]
    expected = {"ann": {"ann_open", "ann_doing"}, "bob": {"bob_open"}, "cai": set()}
    together = waiting_for_many(list(people.values()))
    for name, user in people.items():
        assert {a.title for a in open_items_of(user)} == expected[name], name
        urls = {f"/followup/actions/{items[t].pk}/" for t in expected[name]}
        alone = {i.url for i in waiting_for(user) if i.kind == "action"}
        assert alone == urls, name
        assert {i.url for i in together[user.pk] if i.kind == "action"} == urls, name


def test_open_escalations_are_one_rule_for_the_api_and_the_inbox(  # type: ignore[no-untyped-def]
    make_user, make_meeting, api_as
) -> None:
    """`open_escalations_for` (the API's "escalations waiting for my answer") and the inbox's
    kind `escalation` (one person, and everybody at once) list the same escalations: open,
    sent to the person; one sent to two people waits on each."""
    from meetops.followup.selectors import open_escalations_for

    world = _followup_world(make_user, make_meeting)
    people, items = world["people"], world["items"]
    expected = {"ann": set(), "bob": {"ann_open", "ann_doing"}, "cai": {"ann_open"}}
    together = waiting_for_many(list(people.values()))
    for name, user in people.items():
        assert {e.text for e in open_escalations_for(user)} == expected[name], name
        api = api_as(user).get("/api/v1/followup/escalations")
        assert api.status_code == 200
        assert {e["text"] for e in api.json()} == expected[name], name
        # Once each, though sent to two people.
        urls = sorted(f"/followup/actions/{items[t].pk}/" for t in expected[name])
        alone = sorted(i.url for i in waiting_for(user) if i.kind == "escalation")
        assert alone == urls, name
        assert sorted(i.url for i in together[user.pk] if i.kind == "escalation") == urls, name
