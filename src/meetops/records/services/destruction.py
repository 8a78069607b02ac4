"""Destruction at the end of retention: proposal, decision by a leader with two 监销人, the
register (销毁清册)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.people.models import User
from meetops.records import notify, search
from meetops.records.decisions import DESTRUCTION
from meetops.records.models import (
    Destruction,
    DestructionStatus,
    DocumentVersion,
    Dossier,
    DossierStatus,
)
from meetops.records.permissions import can_approve_destruction, is_archivist
from meetops.records.services.documents import _delete_files


def propose_destruction(dossier: Dossier, *, actor: User, reason: str) -> Destruction:
    """An archivist proposes destroying a dossier whose retention has ended (P7.10).

    Preconditions: not kept permanently and `retain_until` has passed (`not_due`); no open
    proposal (`already_proposed`)."""
    if not is_archivist(actor):
        raise PermissionDenied()
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            _("Give the reason and the regulation it follows."), "reason_required"
        )
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if (
            dossier.status == DossierStatus.DESTROYED
            or dossier.retain_until is None
            or dossier.retain_until >= timezone.localdate()
        ):
            raise DomainError(_("This dossier's retention period has not ended."), "not_due")
        if dossier.destructions.filter(status=DestructionStatus.PROPOSED).exists():
            raise DomainError(_("Its destruction is already proposed."), "already_proposed")
        destruction = Destruction.objects.create(dossier=dossier, reason=reason, proposed_by=actor)
        audit.record(
            "records.destruction.proposed",
            dossier,
            actor=actor,
            data={"destruction": destruction.pk, "reason": reason},
        )
        notify.proposal_made(destruction)
    return destruction


def _item_rows(dossier: Dossier, versions: list[DocumentVersion]) -> list[dict[str, Any]]:
    """The 清册's line per destroyed 件: its metadata and the digest of its current file."""
    current = {v.document_id: v for v in versions if v.document.current_id == v.pk}
    rows = []
    for document in dossier.documents.select_related("retention", "category__retention"):
        version = current.get(document.pk)
        retention = document.retention or document.category.retention
        rows.append(
            {
                "archive_number": document.archive_number or dossier.archive_number,
                "reference": document.reference,
                "author": document.author,
                "title": document.title,
                "date": document.dated.strftime("%Y%m%d") if document.dated else str(dossier.year),
                "pages": document.pages,
                "retention": retention.code_in_number,
                "file_name": version.file_name if version else "",
                "sha256": version.sha256 if version else "",
                "size": version.size if version else 0,
            }
        )
    return rows


def _checked_supervisors(destruction: Destruction, supervisors: Sequence[User]) -> list[User]:
    """Two 监销人: distinct active people, neither of them the proposer."""
    people = list({u.pk: u for u in supervisors}.values())
    if len(people) != 2 or len(supervisors) != 2:
        raise ValidationFailed(
            _("Name two different people who supervise the destruction."),
            "two_supervisors_required",
        )
    if any(u.pk == destruction.proposed_by_id or not u.is_active for u in people):
        raise ValidationFailed(
            _("The person who proposed the destruction cannot supervise it."),
            "supervisor_is_proposer",
        )
    return people


def _decide(
    destruction: Destruction,
    *,
    actor: User,
    approve: bool,
    note: str,
    supervisors: Sequence[User] = (),
) -> Destruction:
    def lock() -> Destruction:
        locked = (
            Destruction.objects.select_for_update().select_related("dossier").get(pk=destruction.pk)
        )
        if not can_approve_destruction(actor, locked) and not DESTRUCTION.is_own(locked, actor):
            raise PermissionDenied()  # the proposer is refused by the shape (own_proposal)
        return locked

    def move(locked: Destruction, verdict: Verdict, stamped: list[str]) -> Audited:
        if not verdict.approve:
            locked.status = DestructionStatus.REJECTED
            locked.save(update_fields=["status", *stamped])
            return Audited(locked.dossier, data={"destruction": locked.pk, "note": verdict.comment})
        witnesses = _checked_supervisors(locked, supervisors)
        dossier = Dossier.objects.select_for_update().get(pk=locked.dossier_id)
        versions = list(
            DocumentVersion.objects.filter(document__dossier=dossier)
            .exclude(file="")
            .select_related("document")
        )
        paths = [v.file.name for v in versions if v.file.name]
        locked.files = [
            {"file_name": v.file_name, "sha256": v.sha256, "size": v.size} for v in versions
        ]
        locked.items = _item_rows(dossier, versions)
        locked.status = DestructionStatus.DONE
        locked.save(update_fields=["files", "items", "status", *stamped])
        locked.supervisors.set(witnesses)
        DocumentVersion.objects.filter(document__dossier=dossier).update(file="", text="")
        # Destroyed text leaves the index too; titles stay findable like the register.
        search.index_documents(dossier.documents.select_related("dossier", "current"))
        dossier.paper_items.filter(destroyed_at__isnull=True).update(destroyed_at=timezone.now())
        dossier.status, dossier.destroyed_at = DossierStatus.DESTROYED, timezone.now()
        dossier.save(update_fields=["status", "destroyed_at"])
        transaction.on_commit(lambda: _delete_files(paths))
        return Audited(
            dossier,
            data={
                "destruction": locked.pk,
                "files": len(paths),
                "note": verdict.comment,
                "supervisors": [str(u) for u in witnesses],
            },
        )

    return decide(DESTRUCTION, actor=actor, approve=approve, comment=note, lock=lock, move=move)


def approve_destruction(
    destruction: Destruction, *, actor: User, supervisors: Sequence[User], note: str = ""
) -> Destruction:
    """A leader (never the proposer) approves, naming the two 监销人 who witness it (distinct,
    neither the proposer): the files are deleted from storage after commit; each 件's metadata,
    file name, size and SHA-256 stay in the register (销毁清册), kept permanently."""
    return _decide(destruction, actor=actor, approve=True, note=note, supervisors=supervisors)


def reject_destruction(destruction: Destruction, *, actor: User, note: str) -> Destruction:
    """A leader (never the proposer) refuses the proposal, saying why; the dossier stays as it was."""
    return _decide(destruction, actor=actor, approve=False, note=note)
