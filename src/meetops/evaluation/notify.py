"""The messages of this app, written to the outbox in the caller's transaction.

- `evaluation.survey`: a person's personal link to the questionnaire (e-mail, and in-app for users);
- `evaluation.survey.reminder`: the same link again, to those who have not answered;
- `evaluation.results`: the evaluation's results, to participants and/or leaders (P6.9).

Texts: `templates/notifications/messages/<event>/`. Each survey message carries the
person's own link, so it is queued per person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from meetops.notifications import events
from meetops.notifications.services import enqueue

if TYPE_CHECKING:
    from meetops.evaluation.models import Evaluation, Respondent, Survey
    from meetops.people.models import User

SURVEY = events.register_event(
    "evaluation.survey", _("A feedback questionnaire is waiting for you"), broadcast=False
).code
SURVEY_REMINDER = events.register_event(
    "evaluation.survey.reminder",
    _("Reminder: a feedback questionnaire is still waiting for you"),
    broadcast=False,
).code
RESULTS = events.register_event(
    "evaluation.results", _("The results of a meeting's evaluation"), broadcast=False, lane="auto"
).code


def feedback_path(respondent: Respondent) -> str:
    return f"/feedback/{respondent.token}"


def ask(respondent: Respondent, *, survey: Survey, reminder: bool = False, day: str = "") -> int:
    """Queue the person's link (the reminder at most once a day). Returns the messages written."""
    event = SURVEY_REMINDER if reminder else SURVEY
    recipient: Any = respondent.user if respondent.user_id else respondent.email
    if not recipient:
        return 0
    return enqueue(
        event=event,
        recipients=[recipient],
        meeting=survey.meeting,
        context={
            "survey": survey,
            "meeting": survey.meeting,
            "name": respondent.name,
            "url": feedback_path(respondent),
        },
        dedupe_key=f"{event}:{respondent.pk}:{day}" if reminder else f"{event}:{respondent.pk}",
    )


def tell_results(
    evaluation: Evaluation, *, recipients: list[Any], indicators: list[Any], actor: User
) -> int:
    meeting = evaluation.meeting
    return enqueue(
        event=RESULTS,
        recipients=recipients,
        meeting=meeting,
        actor=actor,
        context={
            "meeting": meeting,
            "evaluation": evaluation,
            "indicators": indicators,
            "url": f"/meetings/{meeting.pk}/",
        },
    )
