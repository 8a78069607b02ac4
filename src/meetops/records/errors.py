"""The archive's coded errors, made in one place so UI, API and CLI say the same."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.core.errors import DomainError, PermissionDenied
from meetops.records.models import Dossier, DossierStatus


def dossier_locked(dossier: Dossier) -> DomainError:
    if dossier.status == DossierStatus.DESTROYED:
        return DomainError(_("This dossier has been destroyed."), "dossier_destroyed")
    return DomainError(
        _("This dossier is finally filed: only an archivist may correct it."), "dossier_final"
    )


def file_gone() -> DomainError:
    return DomainError(_("The file is no longer in the archive."), "file_gone")


def cannot_file() -> PermissionDenied:
    return PermissionDenied(
        _(
            "Only the recorder, the organisers or an archivist may file this meeting, after it has taken place."
        ),
        "cannot_file",
    )
