"""One decision shape: something is submitted, someone else approves it or returns it.

Eight approvals in MeetOps have this shape (minutes review, summary report, budget,
settlement, emergency plan, archive destruction, improvement case, room booking). Each app
keeps its own rows, states, field names, texts, audit codes and notifications; what they
share lives here, once (ADR 0010):

- returning needs a comment saying what should change (the app's error when missing);
- the row is locked and must still await a decision, so two deciders never both win;
- the submitter never decides their own submission, unless the flow names why it may
  (`own_allowed`); refused with the flow's error (`own_submission` unless the app had a
  code of its own before);
- who decided and when are stamped on the row (the app's field names);
- one audit entry, with the app's action code for approved / returned;
- the app's notification, queued in the same transaction (outbox rows commit or roll back
  with the decision, and leave only after commit);
- "who may decide this" answered in one place per flow: `may_decide` (less the submitter:
  `can_decide`) authorises the decision, and `waits_on` (the same predicate, on a row still
  awaiting a decision and put to the person: `asks`) is what "Waiting for me" lists, for one
  person or many (`pending_many`: the flow's `candidates` read once for everybody, then the
  predicate per person; ADR 0021). There is no query twin of the predicate to drift from it.

Depends on Django and core only: the user is `settings.AUTH_USER_MODEL`, typed loosely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed

R = TypeVar("R", bound=Any)
# A user: `settings.AUTH_USER_MODEL`, which core does not import.
Actor = Any


def own_submission() -> DomainError:
    """The default refusal when the submitter tries to decide."""
    return PermissionDenied(
        _("Someone other than the person who submitted it must decide."), "own_submission"
    )


def comment_required() -> DomainError:
    """The default refusal when a return says nothing."""
    return ValidationFailed(_("Say what should change."), "comment_required", field="comment")


@dataclass(frozen=True)
class Verdict:
    """One decision as the shape made it: handed to the app's move and notify hooks."""

    approve: bool
    actor: Actor
    comment: str
    at: datetime


@dataclass(frozen=True)
class Audited:
    """What the app's move hook tells the audit entry beside the action code."""

    target: models.Model
    changes: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DecisionFlow(Generic[R]):
    """One app's approval, described: its names, its texts, and who may decide.

    `submitter` gives the submitter's user id of a row; `decided_by` / `decided_at` /
    `comment_field` name the row's fields the verdict is stamped on (empty: the app
    stores it elsewhere). `state_field` must equal `awaiting` after the lock, or
    `wrong_state(row, approve)` is raised. `own_allowed`, when not empty, is the named
    reason why the submitter may decide in this flow.

    `candidates(users)` reads the rows that may await a decision by any of these people, in
    the order they wait, in a fixed number of queries whatever their number, with what
    `may_decide` and `asks` read about each person and row already read (prime it: the
    predicates then ask nothing more). It may leave out rows none of them could decide (a
    cheap necessary condition); who decides is said by the predicates alone. `asks`, when
    given, says whom of those who may decide the row is put to (e.g. admins may decide any
    minutes but are not asked to).
    """

    name: str
    state_field: str
    awaiting: str
    wrong_state: Callable[[R, bool], DomainError]
    submitter: Callable[[R], int | None]
    approved_action: str
    returned_action: str
    may_decide: Callable[[Actor, R], bool]
    candidates: Callable[[Sequence[Actor]], Iterable[R]]
    decided_by: str = "decided_by"
    decided_at: str = "decided_at"
    comment_field: str = ""
    comment_limit: int = 2000
    comment_required: Callable[[], DomainError] | None = comment_required
    own_error: Callable[[], DomainError] = own_submission
    own_allowed: str = ""
    asks: Callable[[Actor, R], bool] | None = None

    def clean_comment(self, comment: str | None, *, approve: bool) -> str:
        """The comment stripped and cut to the limit; returning needs one when the flow says so."""
        comment = (comment or "").strip()[: self.comment_limit]
        if not approve and not comment and self.comment_required is not None:
            raise self.comment_required()
        return comment

    def is_own(self, row: R, user: Actor) -> bool:
        submitter = self.submitter(row)
        return submitter is not None and submitter == getattr(user, "pk", None)

    def can_decide(self, user: Actor, row: R) -> bool:
        """Who may decide this row: the app's predicate, less the submitter (unless allowed)."""
        return self.may_decide(user, row) and (bool(self.own_allowed) or not self.is_own(row, user))

    def refuse_own(self, row: R, actor: Actor) -> None:
        if not self.own_allowed and self.is_own(row, actor):
            raise self.own_error()

    def check_awaiting(self, row: R, *, approve: bool) -> None:
        if getattr(row, self.state_field) != self.awaiting:
            raise self.wrong_state(row, approve)

    def stamp(self, row: R, verdict: Verdict) -> list[str]:
        """Write who and when (and the comment) on the row; the fields to save."""
        fields = []
        for name, value in (
            (self.decided_by, verdict.actor),
            (self.decided_at, verdict.at),
            (self.comment_field, verdict.comment),
        ):
            if name:
                setattr(row, name, value)
                fields.append(name)
        return fields

    def action(self, approve: bool) -> str:
        return self.approved_action if approve else self.returned_action

    def waits_on(self, user: Actor, row: R) -> bool:
        """Does this row await this person's decision? Still awaiting one, put to them, and
        theirs to decide (`can_decide`: the predicate that authorises the decision)."""
        return (
            getattr(row, self.state_field) == self.awaiting
            and (self.asks is None or self.asks(user, row))
            and self.can_decide(user, row)
        )

    def pending_many(self, users: Sequence[Actor], limit: int) -> dict[int, list[R]]:
        """What awaits each of these people's decision, by account id, at most `limit` each:
        the flow's `candidates` read once for all of them, kept per person by `waits_on`."""
        people = [u for u in users if getattr(u, "is_authenticated", False)]
        rows = list(self.candidates(people)) if people else []
        return {u.pk: [r for r in rows if self.waits_on(u, r)][:limit] for u in people}

    def pending_for(self, user: Actor, limit: int = 200) -> list[R]:
        """What awaits this user's decision: `pending_many` of one."""
        if not getattr(user, "is_authenticated", False):
            return []
        return self.pending_many([user], limit).get(user.pk, [])


def decide(
    flow: DecisionFlow[R],
    *,
    actor: Actor,
    approve: bool,
    comment: str | None,
    lock: Callable[[], R],
    move: Callable[[R, Verdict, list[str]], Audited],
    notify: Callable[[R, Verdict], None] | None = None,
) -> R:
    """Approve or return one submission. The app's hooks:

    - `lock()` selects the row for update (and checks what only the app knows, e.g. the
      meeting is not frozen), returning it;
    - `move(row, verdict, stamped)` sets the app's state, saves with `update_fields`
      (`stamped` plus its own) and says what the audit entry records;
    - `notify(row, verdict)` queues the app's messages (outbox rows, same transaction).
    Raises the flow's errors: comment required, own submission, wrong state.
    """
    comment = flow.clean_comment(comment, approve=approve)
    with transaction.atomic():
        row = lock()
        flow.refuse_own(row, actor)
        flow.check_awaiting(row, approve=approve)
        verdict = Verdict(approve=approve, actor=actor, comment=comment, at=timezone.now())
        stamped = flow.stamp(row, verdict)
        entry = move(row, verdict, stamped)
        audit.record(
            flow.action(approve),
            entry.target,
            actor=actor,
            changes=entry.changes,
            data=entry.data,
        )
        if notify is not None:
            notify(row, verdict)
    return row


# --- deciding from a personal message (registry "message_decisions", issue 12) ------------


def stale_message() -> DomainError:
    """The row changed since the message was sent (resubmitted, deleted): decide on the page."""
    return ValidationFailed(
        _("This message is out of date: it was changed since. Open the link to decide."),
        "message_out_of_date",
    )


def message_ref(pk: int, version: int) -> str:
    """What a message's buttons carry: the row and the version the message showed."""
    return f"{pk}.{version}"


def parse_message_ref(ref: str) -> tuple[int, int]:
    """(pk, version) of a `message_ref`; the stale-message refusal when it is not one."""
    pk, _dot, version = str(ref).partition(".")
    if not (pk.isdigit() and version.isdigit()):
        raise stale_message()
    return int(pk), int(version)
