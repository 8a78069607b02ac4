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
