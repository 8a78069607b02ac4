"""Writes of the documents app: the issuing body's settings and the offices' templates."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.documents import templates as office_templates
from meetops.documents.models import Issuer, Kind, OfficeTemplate
from meetops.documents.permissions import can_manage_documents
from meetops.people.models import User

ISSUER_FIELDS = [
    "name",
    "prefix",
    "minutes_mark",
    "minutes_numbering",
    "main_to",
    "report_to",
    "copy_to",
    "printer",
]
DEFAULT_NAME = "办公室"


def default_issuer() -> Issuer:
    """The organisation's issuing body, created with a placeholder name on first use."""
    issuer = Issuer.objects.filter(is_default=True).first()
    if issuer is not None:
        return issuer
    Issuer.objects.bulk_create([Issuer(name=DEFAULT_NAME, is_default=True)], ignore_conflicts=True)
    return Issuer.objects.get(is_default=True)


def _require(actor: User) -> None:
    if not can_manage_documents(actor):
        raise PermissionDenied()


def update_issuer(issuer: Issuer, *, actor: User, **fields: Any) -> Issuer:
    """Change the issuing body's settings (administrators)."""
    _require(actor)
    unknown = set(fields) - set(ISSUER_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown setting."), "unknown_field", fields=sorted(unknown))
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationFailed(_("The issuing body needs a name."), "name_required", field="name")
    with transaction.atomic():
        locked = Issuer.objects.select_for_update().get(pk=issuer.pk)
        before = audit.snapshot(locked, ISSUER_FIELDS)
        for name, value in fields.items():
            setattr(locked, name, (value or "").strip())
        changes = audit.diff(before, audit.snapshot(locked, ISSUER_FIELDS))
        if changes:  # the same settings again write nothing (`audit.nothing_changed`)
            locked.save(update_fields=[*changes, "updated_at"])
            audit.record("documents.issuer.updated", locked, actor=actor, changes=changes)
        audit.note_outcome(locked, changes)
    return locked


def upload_template(
    issuer: Issuer, *, kind: str, filename: str, content: bytes, actor: User
) -> OfficeTemplate:
    """Use an office's DOCX for this kind. Raises ValidationFailed naming bad placeholders."""
    _require(actor)
    if kind not in Kind.values:
        raise ValidationFailed(_("Unknown kind of document."), "unknown_kind", field="kind")
    names = office_templates.check(content, kind=kind)
    with transaction.atomic():
        Issuer.objects.select_for_update().get(pk=issuer.pk)
        template, _created = OfficeTemplate.objects.update_or_create(
            issuer=issuer,
            kind=kind,
            defaults={
                "filename": filename[:200],
                "content": content,
                "placeholders": names,
                "uploaded_by": actor,
            },
        )
        audit.record(
            "documents.template.uploaded",
            issuer,
            actor=actor,
            data={"kind": kind, "filename": template.filename, "placeholders": names},
        )
    return template


def remove_template(issuer: Issuer, *, kind: str, actor: User) -> None:
    """Go back to MeetOps's own layout for this kind."""
    _require(actor)
    with transaction.atomic():
        deleted, _rows = OfficeTemplate.objects.filter(issuer=issuer, kind=kind).delete()
        if deleted:
            audit.record("documents.template.removed", issuer, actor=actor, data={"kind": kind})
