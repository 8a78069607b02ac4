"""What filing a meeting takes from risks for the archive (P4.1): the emergency plan."""

from __future__ import annotations

from collections.abc import Iterator

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from meetops.core.archive import Found, html_pdf
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.risks.models import EmergencyPlan


def emergency_plan(meeting: Meeting, actor: User) -> Iterator[Found]:
    plan = EmergencyPlan.objects.filter(meeting=meeting).select_related("decided_by").first()
    if plan is not None:
        context = {"meeting": meeting, "plan": plan}
        yield Found(
            "risks.emergency_plan",
            "other",
            _("Emergency plan"),
            "pdf",
            lambda: html_pdf(render_to_string("risks/plan_print.html", context)),
        )
