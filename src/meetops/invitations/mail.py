"""Personalised invitation, update, cancellation and reminder mails.

A `Composer` does the per-meeting work once (template lookup, meeting texts
per language, the iCalendar message) so that composing each person's mail is
string substitution only: thousands of invitations cost no query per person.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from meetops.invitations import placeholders
from meetops.invitations.agenda import agenda_items
from meetops.invitations.defaults import DEFAULT_TEMPLATES
from meetops.invitations.ics import InvitationCalendar
from meetops.invitations.models import Invitation, InvitationSettings, InvitationTemplate
from meetops.invitations.outbox import Mail
from meetops.meetings.models import Meeting, Participant

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
INVITE, UPDATE, CANCEL, REMIND = "invite", "update", "cancel", "remind"
# A CANCEL to one attendee taken off a meeting that goes ahead.
REMOVED = "removed"
CANCELLING = (CANCEL, REMOVED)
# The kinds that reach a person with an account but no e-mail address on their other channels
# (the bell, and work IM where linked). Changes and cancellations reach them through
# notifications' own events instead (receivers.personally_mailed leaves them out).
WITHOUT_EMAIL = (INVITE, REMIND)
# The notifications event each kind of mail is logged under.
EVENTS = {
    INVITE: "meeting.invited",
    UPDATE: "meeting.changed",
    CANCEL: "meeting.cancelled",
    REMOVED: "meeting.cancelled",
    REMIND: "rsvp.deadline",
}


def recipient_language(participant: Participant) -> str:
    """The recipient's own language (their account's, else the snapshot's), else the site default."""
    lang = (
        participant.user.language if participant.user_id and participant.user else ""
    ) or participant.language
    return lang if lang in LANGUAGES else settings.LANGUAGE_CODE


def rsvp_url(token: str) -> str:
    return f"{settings.SITE_URL}/rsvp/{token}"


def qr_url(token: str) -> str:
    return f"{settings.SITE_URL}/rsvp/{token}/qr.svg"


def format_time(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    day = formats.date_format(start, "DATE_FORMAT")
    if start.date() == end.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {formats.date_format(end, 'DATE_FORMAT')} {end:%H:%M}"


def templates_for(meeting: Meeting) -> dict[str, tuple[str, str]]:
    """(subject, body) per language: the kind's own template, else the general one, else the shipped one."""
    found = dict(DEFAULT_TEMPLATES)
    rows = InvitationTemplate.objects.filter(
        kind__in=[meeting.kind_id]
    ) | InvitationTemplate.objects.filter(kind__isnull=True)
    # General first, so the kind's own template wins.
    for row in sorted(rows, key=lambda r: r.kind_id is not None):
        found[row.language] = (row.subject, row.body)
    return found


def _notice(meeting: Meeting, time: str) -> str:
    """The sentence that invites, grammatical whatever is missing (in the active language)."""
    values = {"time": time, "title": meeting.title, "place": meeting.location.strip()}
    if meeting.location.strip():
        return _("You are invited to “%(title)s” on %(time)s at %(place)s.") % values
    if meeting.online_url:
        values["place"] = meeting.online_url
        return _("You are invited to “%(title)s” on %(time)s, online at %(place)s.") % values
    return _("You are invited to “%(title)s” on %(time)s; the place will be announced.") % values


def meeting_values(
    meeting: Meeting, state: InvitationSettings, language: str, agenda: list[str]
) -> dict[str, str]:
    """The meeting's placeholder values in one language."""
    with translation.override(language):
        time = format_time(meeting)
        if state.rsvp_deadline:
            deadline = formats.date_format(
                timezone.localtime(state.rsvp_deadline), "DATETIME_FORMAT"
            )
            request = _("Please answer by %(deadline)s with your personal link:") % {
                "deadline": deadline
            }
        else:
            deadline = _("as soon as possible")
            request = _("Please answer as soon as possible with your personal link:")
        return {
            "meeting.title": meeting.title,
            "meeting.kind": str(meeting.kind.name),
            "meeting.time": time,
            "meeting.place": meeting.location or meeting.online_url or _("to be announced"),
            "meeting.notice": _notice(meeting, time),
            "meeting.description": meeting.description.strip(),
            "meeting.agenda": "\n".join(f"{i}. {line}" for i, line in enumerate(agenda, 1))
            or _("to follow"),
            "meeting.organiser": str(meeting.created_by)
            if meeting.created_by
            else str(settings.MEETOPS_NAME),
            "rsvp.deadline": deadline,
            "rsvp.request": request,
        }


def calendar_description(values: dict[str, str], link: str, language: str) -> str:
    """The event's DESCRIPTION: what the meeting is, its agenda, the personal link to answer."""
    with translation.override(language):
        parts = [
            values["meeting.description"],
            _("Agenda:") + "\n" + values["meeting.agenda"],
            values["rsvp.request"] + "\n" + link,
        ]
    return "\n\n".join(p for p in parts if p.strip())


def _html_page(language: str, fragment: str) -> str:
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"></head>'
        f'<body style="font-family: sans-serif; line-height: 1.6">{fragment}</body></html>'
    )


class Composer:
    """Composes one kind of mail for many invitations of one meeting."""

    def __init__(self, meeting: Meeting, state: InvitationSettings, kind: str = INVITE) -> None:
        self.meeting, self.state, self.kind = meeting, state, kind
        self.templates = templates_for(meeting)
        self.calendar = InvitationCalendar(
            meeting, state, method="CANCEL" if kind in CANCELLING else "REQUEST"
        )
        self.agenda = agenda_items(meeting)
        self._values: dict[str, dict[str, str]] = {}
        self._intro: dict[str, tuple[str, str]] = {}

    def _language_parts(self, language: str) -> tuple[dict[str, str], tuple[str, str]]:
        if language not in self._values:
            values = meeting_values(self.meeting, self.state, language, self.agenda)
            with translation.override(language):
                title, time = values["meeting.title"], values["meeting.time"]
                intro = {
                    INVITE: ("%(subject)s", ""),
                    UPDATE: (
                        _("Updated: %(subject)s"),
                        _("The meeting has changed. The details below are the latest."),
                    ),
                    REMIND: (
                        _("Reminder: %(subject)s"),
                        _("We have not yet had your answer. Please reply with your personal link."),
                    ),
                    CANCEL: (
                        _("Cancelled: %(title)s") % {"title": title},
                        _("The meeting “%(title)s” planned for %(time)s has been cancelled.")
                        % {"title": title, "time": time},
                    ),
                    REMOVED: (
                        _("Removed from: %(title)s") % {"title": title},
                        _(
                            "You are no longer on the meeting “%(title)s” planned for %(time)s. "
                            "It has been taken off your calendar."
                        )
                        % {"title": title, "time": time},
                    ),
                }[self.kind]
            self._values[language], self._intro[language] = values, intro
        return self._values[language], self._intro[language]

    def compose(
        self, invitation: Invitation, participant: Participant, *, dedupe_key: str
    ) -> Mail | None:
        """The participant's message: by e-mail to their address; without one, to their
        account's bell (invitations and reminders, `WITHOUT_EMAIL`). A message to an account
        reaches its work IM too (notifications/im.py). None when nothing reaches them."""
        if not participant.email and not (participant.user_id and self.kind in WITHOUT_EMAIL):
            return None
        language = recipient_language(participant)
        values, (subject_pattern, intro) = self._language_parts(language)
        person = {
            **values,
            "person.name": participant.display_name,
            "link": rsvp_url(invitation.token),
            "qr": qr_url(invitation.token),
        }
        subject_template, body_template = (
            self.templates.get(language) or DEFAULT_TEMPLATES[settings.LANGUAGE_CODE]
        )
        rendered = placeholders.render(subject_template, body_template, person)
        # A cancellation's subject is final; the others wrap the template's subject.
        subject = (
            subject_pattern
            if self.kind in CANCELLING
            else subject_pattern % {"subject": rendered.subject}
        )
        if self.kind in CANCELLING:
            text, html = intro, f"<p>{escape(intro)}</p>"
        elif intro:
            text, html = (
                f"{intro}\n\n{rendered.text}",
                f"<p><strong>{escape(intro)}</strong></p>{rendered.html}",
            )
        else:
            text, html = rendered.text, rendered.html
        method = "cancel" if self.kind in CANCELLING else "request"
        description = (
            intro
            if self.kind in CANCELLING
            else calendar_description(values, person["link"], language)
        )
        ics = self.calendar.for_attendee(
            participant, invitation.response, invitation=invitation, description=description
        )
        return Mail(
            to=participant.email,
            subject=subject,
            text=text,
            html=_html_page(language, html),
            dedupe_key=dedupe_key,
            event=EVENTS[self.kind],
            user=participant.user if participant.user_id else None,
            url=person["link"],
            attachments=[
                ("invite.ics", ics, f"text/calendar; method={method.upper()}; charset=utf-8")
            ],
        )
