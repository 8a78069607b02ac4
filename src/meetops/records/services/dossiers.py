"""Dossiers: filing a meeting, final filing (定卷) and the yearly review."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.records import errors, inspection
from meetops.records.gather import gather
from meetops.records.models import (
    Category,
    Document,
    Dossier,
    DossierStatus,
    FilingRun,
    FilingStatus,
    YearReview,
)
from meetops.records.permissions import can_file_meeting, is_archivist
from meetops.records.selectors import missing_categories
from meetops.records.services.documents import (
    _check_and_keep,
    _new_document,
    _refresh_retention,
)
from meetops.records.services.scheme import _next_number, _year_of, scheme

Progress = Callable[[int, int], None]
Finish = Callable[[Dossier, list[Document]], None]


def file_meeting(meeting: Meeting, *, actor: User) -> tuple[Dossier, list[Document]]:
    """File the meeting's materials (P4.1) now, in this process (the API, the demo): make its
    dossier with an archive number if it has none, then add each document the other apps have
    produced and the dossier lacks. Pages ask the worker instead (`request_filing`).

    Preconditions: the meeting has taken place (concluded, following up or closed); the actor is
    its recorder, one of its managers, or an archivist; the dossier is not finally filed.
    """
    return _file(meeting, actor=actor)


def _file(
    meeting: Meeting,
    *,
    actor: User,
    progress: Progress | None = None,
    finish: Finish | None = None,
) -> tuple[Dossier, list[Document]]:
    """`file_meeting`, telling `progress(done, total)` as files are rendered and calling
    `finish(dossier, added)` inside the filing's transaction (what raises there rolls it back)."""
    if not can_file_meeting(actor, meeting):
        raise errors.cannot_file()
    categories = {c.code: c for c in Category.objects.all()}
    # Render and read the files before taking any lock: PDFs take seconds, writers should not wait.
    held = set(Document.objects.filter(dossier__meeting=meeting).values_list("source", flat=True))
    gathered = [
        g for g in gather(meeting, actor, skip=held, progress=progress) if g.category in categories
    ]
    report = inspection.inspect_files(
        inspection.Candidate(f"{g.title}.{g.ext}", g.ext, g.data, g.title, g.category)
        for g in gathered
    )
    report.raise_if_failed()
    # A failure rolls back the rows and, through core.storage, the files stored for them.
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("kind").get(pk=meeting.pk)
        dossier = Dossier.objects.filter(meeting=meeting).first()
        created = dossier is None
        if dossier is None:
            other = categories.get("other") or next(iter(categories.values()))
            dossier = Dossier.objects.create(
                meeting=meeting,
                archive_number=_next_number(meeting, scheme().number_pattern),
                year=_year_of(meeting),
                title=meeting.title,
                retention=other.retention,
                filed_by=actor,
            )
        elif dossier.status != DossierStatus.FILED:
            raise errors.dossier_locked(dossier)
        dossier.meeting = meeting
        taken = set(dossier.documents.values_list("source", flat=True))
        added = [
            _new_document(
                dossier,
                category=categories[g.category],
                title=g.title,
                source=g.source,
                data=g.data,
                ext=g.ext,
                actor=actor,
            )
            for g in gathered
            if g.source not in taken  # someone filed the same source meanwhile
        ]
        _check_and_keep(dossier, added, report, actor)
        _refresh_retention(dossier)
        superseded = _supersede_failed_runs(meeting)
        audit.record(
            "records.dossier.filed" if created else "records.dossier.gathered",
            dossier,
            actor=actor,
            data={
                "meeting": meeting.pk,
                "archive_number": dossier.archive_number,
                "documents": [d.current.file_name for d in added if d.current],
                **({"superseded_runs": superseded} if superseded else {}),
            },
        )
        if finish is not None:
            finish(dossier, added)
    return dossier, added


def _supersede_failed_runs(meeting: Meeting) -> list[int]:
    """In the filing's transaction: the meeting's failed filing requests are settled by this
    filing (their reason no longer shows). Returns their ids, for the audit entry."""
    failed = FilingRun.objects.filter(
        meeting=meeting, status=FilingStatus.FAILED, superseded_at__isnull=True
    )
    ids = list(failed.values_list("pk", flat=True))
    if ids:
        FilingRun.objects.filter(pk__in=ids).update(superseded_at=timezone.now())
    return ids


def finalise_dossier(dossier: Dossier, *, actor: User) -> Dossier:
    """Final filing (定卷, P7.9): locks the dossier. Preconditions: an archivist; every
    required category present (`dossier_incomplete`)."""
    if not is_archivist(actor):
        raise PermissionDenied()
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update().select_related("meeting__kind").get(pk=dossier.pk)
        )
        if dossier.status != DossierStatus.FILED:
            raise errors.dossier_locked(dossier)
        missing = missing_categories(dossier)
        if missing:
            raise ValidationFailed(
                _("The dossier is incomplete: %(missing)s.")
                % {"missing": "、".join(c.name for c in missing)},
                "dossier_incomplete",
                missing=[c.code for c in missing],
            )
        dossier.status = DossierStatus.FINAL
        dossier.finalised_by, dossier.finalised_at = actor, timezone.now()
        dossier.save(update_fields=["status", "finalised_by", "finalised_at"])
        audit.record("records.dossier.finalised", dossier, actor=actor)
    return dossier


def record_year_review(year: int, *, actor: User, expected: int, note: str = "") -> YearReview:
    """The yearly review (P7.9): complete dossiers of the year are finally filed; the count of
    complete and incomplete ones is kept with the archivist's note.

    `expected`: how many dossiers the archivist confirmed would be finally filed (the page
    asks first, naming the number); when that is no longer the number (a dossier was completed
    or filed meanwhile), nothing is filed (`review_changed`). No caller files a year unasked."""
    if not is_archivist(actor):
        raise PermissionDenied()
    complete = incomplete = 0
    with transaction.atomic():
        found = list(
            Dossier.objects.select_for_update()
            .filter(year=year, status=DossierStatus.FILED)
            .select_related("meeting__kind")
        )
        to_file = [d for d in found if not missing_categories(d)]
        if expected != len(to_file):
            raise DomainError(
                _(
                    "The year changed since you confirmed: %(count)d dossiers would be finally "
                    "filed now. Confirm again."
                )
                % {"count": len(to_file)},
                "review_changed",
                count=len(to_file),
            )
        for dossier in found:
            if dossier not in to_file:
                incomplete += 1
                continue
            complete += 1
            dossier.status = DossierStatus.FINAL
            dossier.finalised_by, dossier.finalised_at = actor, timezone.now()
            dossier.save(update_fields=["status", "finalised_by", "finalised_at"])
            audit.record("records.dossier.finalised", dossier, actor=actor, data={"review": year})
        review, _created = YearReview.objects.update_or_create(
            year=year,
            defaults={
                "note": note.strip(),
                "reviewed_by": actor,
                "complete": complete,
                "incomplete": incomplete,
            },
        )
        audit.record(
            "records.review.recorded",
            review,
            actor=actor,
            data={
                "year": year,
                "finalised": complete,
                "incomplete": incomplete,
                "note": review.note,
            },
        )
    return review
