"""Reach: delivered from the outbox, opened by link or bell, registered after the announcement;
the P2.7 rule and P6.1's people reached read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetops.invitations.models import Invitation
from meetops.invitations.services import invitations as invite
from meetops.invitations.services import public
from meetops.meetings import services as meetings
from meetops.notifications.models import Notification, OutboxMessage, Status
from meetops.notifications.services import mark_read
from meetops.policy import rules
from meetops.promotion.models import Recipient
from meetops.promotion.selectors import people_reached, reach_of
from meetops.promotion.tests.conftest import deliver


def _accept(meeting: Any, user: Any, organiser: Any) -> None:
    participant = meetings.add_participant(meeting, actor=organiser, user=user)
    invite.send_invitations(meeting, actor=organiser, to=[participant.pk])
    invite.respond(Invitation.objects.get(participant=participant), response="accept")


def test_reach_counts_delivered_opened_and_registered(
    client: Any,
    announce: Callable[..., Any],
    meeting: Any,
    departments: dict[str, Any],
    group: Any,
    people: dict[str, Any],
    organiser: Any,
) -> None:
    announcement = announce(meeting, departments=[departments["academic"]], groups=[group])
    queued = reach_of(announcement)
    assert (queued.recipients, queued.delivered, queued.delivered_people) == (3, 0, 0)
    assert [(c.channel, c.waiting) for c in queued.channels] == [("email", 3), ("inapp", 3)]

    deliver()
    reach = reach_of(announcement)
    assert [(c.channel, c.sent, c.waiting) for c in reach.channels] == [
        ("email", 3, 0),
        ("inapp", 3, 0),
    ]
    assert (reach.delivered, reach.delivered_people, reach.opened) == (6, 3, 0)

    # 张 follows the link in his mail, twice: one opening.
    zhang = Recipient.objects.get(announcement=announcement, user=people["zhang"])
    for _ in range(2):
        response = client.get(f"/notices/{announcement.pk}/go/{zhang.token}")
        assert response.status_code == 302
    # 李 reads the bell entry.
    mark_read(Notification.objects.get(user=people["li"]), actor=people["li"])
    # 李 then accepts his invitation; 王 accepts too but opened nothing.
    _accept(meeting, people["li"], organiser)
    _accept(meeting, people["wang"], organiser)

    reach = reach_of(announcement)
    assert (reach.opened, reach.registered, reach.reached) == (2, 2, 3)
    assert people_reached(meeting) == {f"u{people[n].pk}" for n in ("zhang", "li", "wang")}


def test_an_answer_given_before_the_announcement_is_not_counted(
    announce: Callable[..., Any],
    meeting: Any,
    departments: dict[str, Any],
    people: Any,
    organiser: Any,
) -> None:
    _accept(meeting, people["li"], organiser)
    announcement = announce(meeting, departments=[departments["exams"]])
    assert reach_of(announcement).registered == 0
    assert people_reached(meeting) == set()


def test_public_registrations_after_a_public_page_announcement_count(
    announce: Callable[..., Any], public_meeting: Any, organiser: Any
) -> None:
    from meetops.invitations.services.public import set_registration

    set_registration(public_meeting, actor=organiser, open=True, capacity=None)
    public.register(public_meeting, name="访客甲", email="before@example.org")
    announcement = announce(public_meeting, public_page=True, channels=[])
    public.register(public_meeting, name="访客乙", email="Guest@Example.org")

    reach = reach_of(announcement)
    assert (reach.registered, reach.public_registrations, reach.reached) == (1, 1, 1)
    assert people_reached(public_meeting) == {"eguest@example.org"}


def test_the_step_completes_once_a_message_was_delivered(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any]
) -> None:
    step = meeting.steps.get(clause="P2.7")
    assert (step.completion, step.rule) == ("automatic", "promotion.announced")
    assert not rules.is_met("promotion.announced", meeting)

    announcement = announce(meeting, departments=[departments["exams"]])
    assert not rules.is_met("promotion.announced", meeting)  # queued is not delivered

    OutboxMessage.objects.filter(url__startswith=announcement.link_prefix).update(
        status=Status.DEAD
    )
    assert not rules.is_met("promotion.announced", meeting)
    OutboxMessage.objects.filter(url__startswith=announcement.link_prefix).update(
        status=Status.QUEUED
    )
    deliver()
    assert rules.is_met("promotion.announced", meeting)


def test_the_step_completes_from_the_public_page_of_a_public_meeting(
    announce: Callable[..., Any], public_meeting: Any
) -> None:
    announce(public_meeting, public_page=True, channels=[])
    assert rules.is_met("promotion.announced", public_meeting)


def test_people_reached_of_the_evaluation_counts_sign_ins_and_announcement_readers(
    announce: Callable[..., Any],
    meeting: Any,
    departments: dict[str, Any],
    people: Any,
    client: Any,
) -> None:
    from meetops.evaluation.indicators import indicators_now
    from meetops.evaluation.models import Evaluation

    announcement = announce(meeting, departments=[departments["academic"]])
    zhang = Recipient.objects.get(announcement=announcement, user=people["zhang"])
    client.get(f"/notices/{announcement.pk}/go/{zhang.token}")

    evaluation = Evaluation(meeting=meeting, target_reach=2)
    reach = {i.code: i for i in indicators_now(meeting, evaluation)}["reach"]
    assert (reach.actual, reach.met) == (1, False)
