"""`{% meeting_measures meeting as measures %}`: the improvement measures of a meeting, for the
parts this app adds to the evaluation's results (the message and the page, P6.9), which name
no measure themselves."""

from __future__ import annotations

from typing import Any

from django import template

from meetops.improvement.models import Measure
from meetops.improvement.selectors import measures_of

register = template.Library()


@register.simple_tag
def meeting_measures(meeting: Any) -> list[Measure]:
    """Every measure of the meeting, whoever may see it may see the meeting (the slot's page or
    message is already limited to those)."""
    if meeting is None or not getattr(meeting, "pk", None):
        return []
    return list(measures_of(meeting))
