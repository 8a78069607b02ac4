"""An invitee gets one e-mail per change, the personal one with its .ics; removed invitees get a CANCEL.

Real flow: invitations, changes and removals through the services and the API,
the outbox worker delivering to a real SMTP server, the mails parsed as a
mail client would.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import icalendar
import pytest

from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.meetings.models import Participant
from meetops.notifications.models import Notification, OutboxMessage
from meetops.notifications.worker import Worker

pytestmark = pytest.mark.django_db


def calendar_of(mail: Any) -> tuple[str, icalendar.Event] | None:
    """(the MIME method parameter, the VEVENT) of the mail's .ics, or None without one."""
    parts = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    if not parts:
        return None
    (part,) = parts
    cal = icalendar.Calendar.from_ical(part.get_content())
    assert cal["METHOD"] == part.get_param("method")
    (event,) = cal.walk("VEVENT")
    return str(cal["METHOD"]), event


def delivered(smtp: Any, since: int) -> dict[str, list[Any]]:
    Worker().run_once()
    by_to: dict[str, list[Any]] = {}
    for mail in smtp.messages[since:]:
        by_to.setdefault(str(mail["To"]), []).append(mail)
    return by_to


@pytest.fixture
def invited(guests: Any, organiser: Any, make_user: Any) -> Any:
    """A meeting being prepared; guest1 and alice (an account) invited; bob added later, never invited."""
    meeting = guests(1, title="预算评审会")
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    alice = make_user("alice", email="alice@example.org")
    alice.language = "en"
    alice.save(update_fields=["language"])
    meetings.add_participant(meeting, actor=organiser, user=alice)
    invites.send_invitations(meeting, actor=organiser, to="all")
    bob = make_user("bob", email="bob@example.org")
    meetings.add_participant(meeting, actor=organiser, user=bob)
    return meeting


def test_each_invitee_gets_one_mail_per_change_with_its_ics(
    smtp: Any, organiser: Any, invited: Any
) -> None:
    meeting = invited
    first = delivered(smtp, 0)
    assert {to: len(m) for to, m in first.items()} == {
        "guest1@example.org": 1,
        "alice@example.org": 1,
    }
    uid = str(calendar_of(first["alice@example.org"][0])[1]["UID"])

    meetings.update_meeting(
        meeting,
        actor=organiser,
        start=meeting.start + timedelta(hours=1),
        end=meeting.end + timedelta(hours=1),
    )
    changed = delivered(smtp, len(smtp.messages))
    assert {to: len(m) for to, m in changed.items()} == {
        "guest1@example.org": 1,
        "alice@example.org": 1,
        "bob@example.org": 1,  # on the meeting but never invited: the generic notice
    }
    for to in ("guest1@example.org", "alice@example.org"):
        method, event = calendar_of(changed[to][0])
        assert (method, str(event["UID"]), int(event["SEQUENCE"])) == ("REQUEST", uid, 1)
        assert event["DTSTART"].dt == meeting.start + timedelta(hours=1)
    assert calendar_of(changed["bob@example.org"][0]) is None
    # Alice still hears it on the bell.
    assert Notification.objects.filter(user__username="alice").count() == 1

    meetings.transition_meeting(meeting, actor=organiser, to="cancelled")
    cancelled = delivered(smtp, len(smtp.messages))
    assert {to: len(m) for to, m in cancelled.items()} == {
        "guest1@example.org": 1,
        "alice@example.org": 1,
        "bob@example.org": 1,
    }
    for to in ("guest1@example.org", "alice@example.org"):
        method, event = calendar_of(cancelled[to][0])
        assert (method, str(event["UID"]), int(event["SEQUENCE"])) == ("CANCEL", uid, 2)
        assert str(event["STATUS"]) == "CANCELLED"
    # Nothing twice, anywhere in the outbox.
    per_address = Counter(
        OutboxMessage.objects.filter(channel="email").values_list("address", "event")
    )
    assert max(per_address.values()) == 1


def test_removing_an_invited_participant_sends_them_a_cancel(
    smtp: Any, organiser: Any, invited: Any, api_as: Any
) -> None:
    meeting = invited
    delivered(smtp, 0)
    guest = Participant.objects.get(meeting=meeting, email="guest1@example.org")
    response = api_as(organiser).delete(f"/api/v1/meetings/{meeting.pk}/participants/{guest.pk}")
    assert response.status_code == 204
    assert not Participant.objects.filter(pk=guest.pk).exists()
    mails = delivered(smtp, len(smtp.messages))
    assert list(mails) == ["guest1@example.org"]  # alice's calendar stays as it is
    [mail] = mails["guest1@example.org"]
    method, event = calendar_of(mail)
    assert method == "CANCEL" and int(event["SEQUENCE"]) == 1
    assert str(event["ATTENDEE"]) == "mailto:guest1@example.org"
    assert str(event["STATUS"]) == "CANCELLED"
    # The guest reads the site's language: they are off the meeting; the meeting goes ahead.
    assert mail["Subject"] == "已移出：预算评审会"
    assert "已从您的日历中移除" in mail.get_body(("plain",)).get_content()


def test_removing_someone_never_invited_sends_nothing(
    smtp: Any, organiser: Any, invited: Any
) -> None:
    meeting = invited
    before = OutboxMessage.objects.count()
    bob = Participant.objects.get(meeting=meeting, user__username="bob")
    meetings.remove_participant(bob, actor=organiser)
    assert OutboxMessage.objects.count() == before
