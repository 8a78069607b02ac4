"""Writing the minutes and moving them through review.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
      ▲                   │                      │                     │
      └──────return───────┘                      └──────reopen (reason)┘

Every save and every move is one `MinutesRevision` (who, when, what, why, and a
snapshot of the document) and one audit entry. A `revision` number given by the
caller must match the stored one, so two editors never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.agenda.models import AgendaItem
from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.meetings.models import Meeting, MeetingRole
from meetops.minutes import errors
from meetops.minutes import events as minute_events
from meetops.minutes.decisions import REVIEW
from meetops.minutes.models import Decision, Minutes, MinutesRevision, MinutesSection, MinutesState
from meetops.minutes.permissions import (
    can_decide_minutes,
    can_edit_now,
    can_publish_minutes,
    can_review_minutes,
    can_write_minutes,
)
from meetops.minutes.selectors import document_of, organisers_of, unheld_items, users_in_role
from meetops.notifications import services as notify
from meetops.people.models import User

MAX_SECTIONS = 200
MAX_DECISIONS = 100
MAX_TITLE = 300
MAX_TEXT = 50000
MAX_VOTES = 1_000_000
VOTE_KEYS = ("votes_for", "votes_against", "votes_abstain")


def _problem(
    section: int | None, decision: int | None, field: str, code: str, message: str
) -> dict[str, Any]:
    return {
        "section": section,
        "decision": decision,
        "field": field,
        "code": code,
        "message": message,
    }


def _too_long(value: str, limit: int) -> bool:
    return len(value) > limit


def _clean_decision(
    raw: Mapping[str, Any], si: int, di: int, problems: list[dict[str, Any]]
) -> dict[str, Any] | None:
    text = str(raw.get("text") or "").strip()
    votes = {k: raw.get(k) for k in VOTE_KEYS}
    if not text and all(v in (None, "") for v in votes.values()):
        return None  # an empty row: nothing to keep
    if not text:
        problems.append(
            _problem(si, di, "text", "decision_text_required", _("A decision needs its text."))
        )
    elif _too_long(text, MAX_TEXT):
        problems.append(
            _problem(
                si,
                di,
                "text",
                "too_long",
                _("Too long (at most %(max)d characters).") % {"max": MAX_TEXT},
            )
        )
    for key, value in votes.items():
        if value in (None, ""):
            votes[key] = None
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VOTES:
            problems.append(
                _problem(
                    si, di, key, "invalid_votes", _("Vote counts are whole numbers, 0 or more.")
                )
            )
    return {"text": text, **votes}


def _clean(
    sections: Sequence[Mapping[str, Any]], texts: Mapping[str, str], agenda_ids: set[int]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Cleaned sections and texts, or InvalidMinutes listing every problem."""
    problems: list[dict[str, Any]] = []
    if len(sections) > MAX_SECTIONS:
        problems.append(_problem(None, None, "sections", "too_many", _("Too many sections.")))
    cleaned_texts = {}
    for key, value in texts.items():
        value = str(value or "").strip()
        if _too_long(value, MAX_TEXT):
            problems.append(
                _problem(
                    None,
                    None,
                    key,
                    "too_long",
                    _("Too long (at most %(max)d characters).") % {"max": MAX_TEXT},
                )
            )
        cleaned_texts[key] = value
    cleaned = []
    for si, raw in enumerate(sections):
        title = str(raw.get("title") or "").strip()
        item_id = raw.get("agenda_item_id") or None
        if not title:
            problems.append(
                _problem(si, None, "title", "title_required", _("A section needs a title."))
            )
        elif _too_long(title, MAX_TITLE):
            problems.append(
                _problem(
                    si,
                    None,
                    "title",
                    "title_too_long",
                    _("The title is too long (at most %(max)d characters).") % {"max": MAX_TITLE},
                )
            )
        if item_id is not None and item_id not in agenda_ids:
            problems.append(
                _problem(
                    si,
                    None,
                    "agenda_item_id",
                    "unknown_agenda_item",
                    _("This agenda item is not on the meeting."),
                )
            )
        notes = str(raw.get("notes") or "").strip()
        if _too_long(notes, MAX_TEXT):
            problems.append(
                _problem(
                    si,
                    None,
                    "notes",
                    "too_long",
                    _("Too long (at most %(max)d characters).") % {"max": MAX_TEXT},
                )
            )
        raw_decisions = list(raw.get("decisions") or [])
        if len(raw_decisions) > MAX_DECISIONS:
            problems.append(_problem(si, None, "decisions", "too_many", _("Too many decisions.")))
        decisions = [
            d for di, r in enumerate(raw_decisions) if (d := _clean_decision(r, si, di, problems))
        ]
        cleaned.append(
            {"agenda_item_id": item_id, "title": title, "notes": notes, "decisions": decisions}
        )
    if problems:
        raise errors.InvalidMinutes(problems)
    return cleaned, cleaned_texts


def _lock(meeting: Meeting) -> Minutes:
    """The meeting's minutes row, created if missing, locked for this transaction."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    minutes.meeting = meeting
    return minutes


def _revision(
    minutes: Minutes,
    *,
    action: str,
    actor: User | None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> MinutesRevision:
    snapshot = document_of(minutes.meeting).content()
    return MinutesRevision.objects.create(
        minutes=minutes,
        number=minutes.revision,
        state=minutes.state,
        action=action,
        reason=reason,
        changes=changes or {},
        snapshot=snapshot,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def save_minutes(
    meeting: Meeting,
    *,
    actor: User,
    sections: Sequence[Mapping[str, Any]],
    notes: str = "",
    summary: str = "",
    action_plan: str = "",
    revision: int | None = None,
) -> Minutes:
    """Replace the minutes' text. Draft: writers; under review: reviewers. Approved text is locked.

    `revision`, when given, must be the number the caller read (else `minutes_changed`).
    """
    if meeting.is_frozen:
        raise errors.frozen()
    if not can_write_minutes(actor, meeting) and not can_review_minutes(actor, meeting):
        raise PermissionDenied()
    agenda_ids = set(AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True))
    cleaned, texts = _clean(
        sections, {"notes": notes, "summary": summary, "action_plan": action_plan}, agenda_ids
    )
    with transaction.atomic():
        minutes = _lock(meeting)
        if minutes.locked:
            raise errors.locked()
        if not can_edit_now(actor, minutes):
            raise PermissionDenied(
                _("Only the reviewer may change minutes under review."), "minutes_under_review"
            )
        if revision is not None and revision != minutes.revision:
            raise errors.changed(minutes.revision)
        before = document_of(meeting).content() if minutes.revision else {}
        MinutesSection.objects.filter(minutes=minutes).delete()
        for si, row in enumerate(cleaned):
            section = MinutesSection.objects.create(
                minutes=minutes,
                agenda_item_id=row["agenda_item_id"],
                order=si,
                title=row["title"],
                notes=row["notes"],
            )
            Decision.objects.bulk_create(
                [Decision(section=section, order=di, **d) for di, d in enumerate(row["decisions"])]
            )
        for key, value in texts.items():
            setattr(minutes, key, value)
        minutes.revision += 1
        minutes.updated_by = actor
        minutes.save()
        after = {**texts, "sections": cleaned}
        changes = (
            audit.diff({k: before.get(k) for k in after}, after)
            if before
            else {"created": [None, True]}
        )
        changes = {
            k: [len(str(v[0] or "")), len(str(v[1] or ""))] if k == "sections" else v
            for k, v in changes.items()
        }
        _revision(minutes, action="saved", actor=actor, changes=changes)
        audit.record(
            "minutes.minutes.saved",
            minutes,
            actor=actor,
            changes={k: v for k, v in changes.items() if k != "sections"},
            data={
                "revision": minutes.revision,
                "sections": len(cleaned),
                "decisions": sum(len(s["decisions"]) for s in cleaned),
                "sections_changed": "sections" in changes,
            },
        )
    return minutes


def _apply(
    minutes: Minutes,
    *,
    actor: User,
    action: str,
    to: str,
    reason: str = "",
    fields: Sequence[str] = (),
) -> Audited:
    """Set the new state and keep a revision; what the move's audit entry records."""
    from_state = minutes.state
    minutes.state = to
    minutes.save(update_fields=["state", "updated_at", *fields])
    _revision(minutes, action=action, actor=actor, reason=reason)
    return Audited(
        minutes,
        changes={"state": [from_state, to]},
        data={"revision": minutes.revision, **({"reason": reason} if reason else {})},
    )


def _move(
    minutes: Minutes,
    *,
    actor: User,
    action: str,
    to: str,
    reason: str = "",
    fields: Sequence[str] = (),
) -> Minutes:
    """Set the new state, keep a revision, audit the move. Inside the caller's transaction."""
    entry = _apply(minutes, actor=actor, action=action, to=to, reason=reason, fields=fields)
    audit.record(
        f"minutes.minutes.{action}", minutes, actor=actor, changes=entry.changes, data=entry.data
    )
    return minutes


def _locked(minutes: Minutes) -> Minutes:
    """Lock the row and check the meeting is live."""
    locked = (
        Minutes.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=minutes.pk)
    )
    if locked.meeting.is_frozen:
        raise errors.frozen()
    return locked


def _locked_for_move(minutes: Minutes, *expected: str) -> Minutes:
    """Lock the row and check the meeting is live and the minutes are in one of `expected`."""
    locked = _locked(minutes)
    if locked.state not in expected:
        raise errors.wrong_state(locked.state, *expected)
    return locked


def _reviewers(meeting: Meeting, submitter: User) -> list[User]:
    """The host(s); a meeting without one, or minutes a host submitted, go to its organisers."""
    hosts = users_in_role(meeting, MeetingRole.HOST)
    if submitter in hosts:
        return [u for u in organisers_of(meeting) if u != submitter]
    return hosts or organisers_of(meeting)


def _url(meeting: Meeting) -> str:
    return f"/meetings/{meeting.pk}/minutes/"


def submit_minutes(minutes: Minutes, *, actor: User) -> Minutes:
    """Draft → submitted for the host's review. Writers only; the minutes must say something."""
    if not can_write_minutes(actor, minutes.meeting):
        raise PermissionDenied()
    with transaction.atomic():
        locked = _locked_for_move(minutes, MinutesState.DRAFT)
        doc = document_of(locked.meeting)
        empty = not (doc.notes or doc.summary or any(s.notes or s.decisions for s in doc.sections))
        if empty:
            raise ValidationFailed(
                _("Write something in the minutes before submitting them."), "minutes_empty"
            )
        locked.submitted_by, locked.submitted_at, locked.return_comment = actor, timezone.now(), ""
        _move(
            locked,
            actor=actor,
            action="submitted",
            to=MinutesState.SUBMITTED,
            fields=["submitted_by", "submitted_at", "return_comment"],
        )
        notify.enqueue(
            event=minute_events.MINUTES_SUBMITTED.code,
            recipients=_reviewers(locked.meeting, actor),
            meeting=locked.meeting,
            context={
                "title": _("Minutes to review: %(title)s") % {"title": locked.meeting.title},
                "text": _("%(who)s submitted the minutes for your review.") % {"who": actor},
                "meeting": locked.meeting,
                "url": _url(locked.meeting),
            },
            dedupe_key=f"minutes.submitted:{locked.pk}:{locked.revision}",
            actor=actor,
        )
    return locked


def _check_held(meeting: Meeting, *, confirmed: bool) -> None:
    """Minutes of a meeting still running, with items not yet held, need the approver's explicit
    word (`confirm_unheld`); refused with the items named otherwise."""
    if confirmed:
        return
    unheld = unheld_items(meeting)
    if unheld:
        raise DomainError(
            _(
                "The meeting is still in progress and %(count)d agenda items have not been held "
                "yet: %(items)s. Confirm that the minutes are final all the same."
            )
            % {"count": len(unheld), "items": "、".join(i.title for i in unheld)},
            "agenda_not_held",
            items=[{"id": i.pk, "title": i.title} for i in unheld],
        )


def approve_minutes(minutes: Minutes, *, actor: User, confirm_unheld: bool = False) -> Minutes:
    """Submitted → approved: the text is locked. The host (or, without one, the organiser);
    never the person who submitted them (`own_submission`). While the meeting is in progress
    with agenda items not yet held, only with `confirm_unheld` (`agenda_not_held`)."""
    _check_held(minutes.meeting, confirmed=confirm_unheld)
    return _decide(minutes, actor=actor, approve=True, comment="")


def return_minutes(minutes: Minutes, *, actor: User, comment: str) -> Minutes:
    """Submitted → draft, with the reviewer's comment for the writer. Same reviewers as approving."""
    return _decide(minutes, actor=actor, approve=False, comment=comment)


def _decide(minutes: Minutes, *, actor: User, approve: bool, comment: str) -> Minutes:
    def lock() -> Minutes:
        # Who reviews depends on who submitted: judged on the locked row, not the caller's copy.
        locked = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting", "submitted_by")
            .get(pk=minutes.pk)
        )
        if not can_decide_minutes(actor, locked):
            raise PermissionDenied()  # on a frozen meeting too: nobody reviews there
        return locked

    def move(locked: Minutes, verdict: Verdict, stamped: list[str]) -> Audited:
        if verdict.approve:
            locked.approved_by, locked.approved_at = actor, verdict.at
            return _apply(
                locked,
                actor=actor,
                action="approved",
                to=MinutesState.APPROVED,
                fields=["approved_by", "approved_at"],
            )
        locked.return_comment = verdict.comment
        return _apply(
            locked,
            actor=actor,
            action="returned",
            to=MinutesState.DRAFT,
            reason=verdict.comment,
            fields=["return_comment"],
        )

    def tell(locked: Minutes, verdict: Verdict) -> None:
        if verdict.approve:
            return
        writer = locked.submitted_by
        notify.enqueue(
            event=minute_events.MINUTES_RETURNED.code,
            recipients=[writer] if writer else [],
            meeting=locked.meeting,
            context={
                "meeting": locked.meeting,
                "comment": verdict.comment,
                "reviewer": str(actor),
                "url": _url(locked.meeting),
            },
            dedupe_key=f"minutes.returned:{locked.pk}:{locked.revisions.count()}",
            actor=actor,
        )

    return decide(
        REVIEW,
        actor=actor,
        approve=approve,
        comment=comment,
        lock=lock,
        move=move,
        notify=tell,
    )


def publish_minutes(minutes: Minutes, *, actor: User, confirm_unheld: bool = False) -> Minutes:
    """Approved → published: every participant is told (in-app and e-mail, in their language).
    The same word as approving is needed while agenda items are not yet held."""
    if not can_publish_minutes(actor, minutes.meeting):
        raise PermissionDenied()
    _check_held(minutes.meeting, confirmed=confirm_unheld)
    with transaction.atomic():
        locked = _locked_for_move(minutes, MinutesState.APPROVED)
        locked.published_at = timezone.now()
        _move(
            locked,
            actor=actor,
            action="published",
            to=MinutesState.PUBLISHED,
            fields=["published_at"],
        )
        meeting = locked.meeting
        notify.enqueue(
            event=minute_events.MINUTES_PUBLISHED.code,
            recipients=list(meeting.participants.select_related("user", "contact")),
            meeting=meeting,
            context={"meeting": meeting, "url": _url(meeting)},
            dedupe_key=f"minutes.published:{locked.pk}:{locked.revision}",
        )
    return locked


def reopen_minutes(minutes: Minutes, *, actor: User, reason: str) -> Minutes:
    """Approved or published → draft as a new revision. Reviewers and managers; a reason is required."""
    if not can_publish_minutes(actor, minutes.meeting):
        raise PermissionDenied()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Give a reason for changing approved minutes."), "reason_required", field="reason"
        )
    with transaction.atomic():
        locked = _locked_for_move(minutes, MinutesState.APPROVED, MinutesState.PUBLISHED)
        locked.revision += 1
        locked.approved_by = locked.approved_at = locked.published_at = None
        _move(
            locked,
            actor=actor,
            action="reopened",
            to=MinutesState.DRAFT,
            reason=reason[:MAX_TEXT],
            fields=["revision", "approved_by", "approved_at", "published_at"],
        )
    return locked
