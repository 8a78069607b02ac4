"""Calendar subscriptions: token-protected feed URLs per user and per meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.invitations.models import CalendarFeed, InvitationSettings, new_token
from meetops.invitations.permissions import can_manage_invitations
from meetops.invitations.services.invitations import _locked_settings, ensure_settings
from meetops.meetings.models import Meeting
from meetops.people.models import User


def user_feed_url(user: User) -> str:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return f"{settings.SITE_URL}/calendar/user/{feed.token}.ics"


def meeting_feed_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}/calendar/meeting/{ensure_settings(meeting).feed_token}.ics"


def reset_user_feed(user: User, *, actor: User) -> str:
    """A new secret URL; the old one stops working (after a link leaked)."""
    if actor.pk != user.pk and not actor.is_admin:
        raise PermissionDenied()
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        feed.token = new_token()
        feed.save(update_fields=["token"])
        audit.record("invitations.feed.reset", user, actor=actor)
    return user_feed_url(user)


def reset_meeting_feed(meeting: Meeting, *, actor: User) -> InvitationSettings:
    if not can_manage_invitations(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        state = _locked_settings(meeting)
        state.feed_token = new_token()
        state.save(update_fields=["feed_token"])
        audit.record("invitations.meeting_feed.reset", meeting, actor=actor)
    return state
