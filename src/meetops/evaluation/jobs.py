"""Periodic job of the notifications worker: close questionnaires whose date has passed,
and remind non-respondents once, the day before a questionnaire closes.

Idempotent: closing is a state change under a lock, reminders carry a per-day dedupe key.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from meetops.core.errors import DomainError
from meetops.core.scheduler import periodic
from meetops.evaluation import services
from meetops.evaluation.models import Respondent, Survey, SurveyState

logger = logging.getLogger(__name__)


@periodic(every_seconds=3600, name="evaluation.survey_deadlines")
def survey_deadlines() -> tuple[int, int]:
    """Returns (closed, surveys reminded)."""
    now = timezone.now()
    closed = reminded = 0
    for survey in Survey.objects.filter(state=SurveyState.OPEN, closes_at__lte=now).select_related(
        "meeting"
    ):
        try:
            services.close_survey(survey, actor=None)
            closed += 1
        except DomainError:  # closed by someone else meanwhile
            logger.info("survey %s already closed", survey.pk)
    closing_soon = Survey.objects.filter(
        state=SurveyState.OPEN, closes_at__gt=now, closes_at__lte=now + timedelta(days=1)
    ).select_related("meeting")
    for survey in closing_soon:
        never_reminded = Respondent.objects.filter(
            survey=survey, answered=False, reminded_at__isnull=True
        )
        if never_reminded.exists():
            services.remind(survey, actor=None)
            reminded += 1
    return closed, reminded
