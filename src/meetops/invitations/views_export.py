"""The participant list as an .xlsx download (used by the page and the API)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.core.downloads import download_response
from meetops.invitations import selectors, spreadsheets
from meetops.meetings.models import Meeting


def export_response(meeting: Meeting) -> HttpResponse:
    headers = [
        pgettext("person", "Name"),
        _("Department/company"),
        _("Job title"),
        _("Phone"),
        _("E-mail"),
        _("Role"),
        _("Attendance"),
        _("Seat preference"),
        _("Duties"),
        _("Answer"),
        _("Reason"),
    ]
    states = {
        "uninvited": _("Not invited"),
        "no_answer": _("No answer yet"),
        "accept": _("Attending"),
        "decline": _("Not attending"),
        "substitute": _("Sending a substitute"),
        "substituted": _("Replaced by a substitute"),
    }
    rows = (
        [
            p.display_name,
            p.organisation,
            p.title,
            p.phone,
            p.email,
            p.get_role_display(),
            p.get_attendance_display(),
            p.seat_preference,
            p.duties,
            states[selectors.rsvp_state(p)],
            p.invitation.reason if getattr(p, "invitation", None) else "",
        ]
        for p in selectors.participants_of(meeting).iterator(chunk_size=2000)
    )
    data = spreadsheets.write_xlsx(headers, rows, title=meeting.title)
    return download_response(
        data,
        filename=f"participants-{meeting.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
