"""What filing a meeting takes from agenda for the archive (P4.1): the meeting plan and agenda, and each item's materials."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from meetops.agenda.exports import plan_pdf
from meetops.agenda.plan import build_plan
from meetops.core.archive import Found, file_ext, read_field
from meetops.meetings.models import Meeting
from meetops.people.models import User


def agenda(meeting: Meeting, actor: User) -> Iterator[Found]:
    items = list(meeting.agenda_items.order_by("order", "id"))
    if items:
        yield Found(
            "agenda.plan",
            "agenda",
            _("Meeting plan and agenda"),
            "pdf",
            lambda: plan_pdf(build_plan(meeting, viewer=actor)),
        )
    for item in items:
        if item.materials:
            field = item.materials
            yield Found(
                f"agenda.material:{item.pk}",
                "speech",
                item.title,
                file_ext(field.name),
                lambda field=field: read_field(field),  # type: ignore[misc]
            )
