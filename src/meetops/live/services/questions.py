"""Questions and comments from the floor (P3.8): ask, vote once, mark answered."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from meetops.agenda.models import AgendaItem
from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.live import errors
from meetops.live.models import LiveSession, Question, QuestionStatus, QuestionVote
from meetops.live.permissions import can_run_console, can_take_part
from meetops.meetings.models import Meeting
from meetops.people.models import User


def ask_question(
    meeting: Meeting,
    *,
    actor: User,
    text: str,
    anonymous: bool = False,
    item: AgendaItem | None = None,
) -> Question:
    """Ask about `item`, or about the item on stage when none is named.

    `anonymous` hides the name from other participants; the author is recorded.
    """
    if not can_take_part(actor, meeting):
        raise PermissionDenied()
    text = text.strip()
    if not text:
        raise ValidationFailed(_empty(), "question_empty")
    if item is None:
        current = LiveSession.objects.filter(meeting=meeting).values_list("current_item", flat=True)
        item_id = current.first()
        item = AgendaItem.objects.filter(pk=item_id).first() if item_id else None
    with transaction.atomic():
        question = Question.objects.create(
            meeting=meeting,
            item=item,
            author=actor,
            anonymous=anonymous,
            text=text[:1000],
            created_at=timezone.now(),
        )
        audit.record(
            "live.question.asked",
            meeting,
            actor=actor,
            data={
                "question": question.pk,
                "item": item.pk if item else None,
                "anonymous": anonymous,
            },
        )
    return question


def _empty() -> str:
    from django.utils.translation import gettext

    return gettext("Write the question or comment first.")


def vote_question(question: Question, *, actor: User) -> QuestionVote:
    """One vote per person (a unique constraint decides when two arrive at once)."""
    if not can_take_part(actor, question.meeting):
        raise PermissionDenied()
    try:
        with transaction.atomic():
            vote = QuestionVote.objects.create(question=question, user=actor)
            audit.record(
                "live.question.voted", question.meeting, actor=actor, data={"question": question.pk}
            )
    except IntegrityError:
        raise errors.already_voted() from None
    return vote


def mark_answered(question: Question, *, actor: User) -> Question:
    """The host (or whoever runs the console) marks the question answered."""
    if not can_run_console(actor, question.meeting):
        raise PermissionDenied()
    with transaction.atomic():
        updated = Question.objects.filter(pk=question.pk, status=QuestionStatus.OPEN).update(
            status=QuestionStatus.ANSWERED, answered_at=timezone.now(), answered_by=actor
        )
        if updated:
            audit.record(
                "live.question.answered",
                question.meeting,
                actor=actor,
                data={"question": question.pk},
            )
    question.refresh_from_db()
    return question
