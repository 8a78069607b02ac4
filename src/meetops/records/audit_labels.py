"""Readable names of this app's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "records.dossier.filed": _("Meeting filed in the archive"),
        "records.filing.requested": _("Filing of a meeting asked for"),
        "records.filing.failed": _("Filing of a meeting failed"),
        "records.dossier.gathered": _("New documents gathered into the dossier"),
        "records.dossier.finalised": _("Dossier finally filed"),
        "records.document.added": _("Document archived"),
        "records.document.corrected": _("Archived document corrected"),
        "records.paper.registered": _("Paper item registered"),
        "records.paper.lent": _("Paper item lent out"),
        "records.paper.returned": _("Paper item returned"),
        "records.review.recorded": _("Yearly archive review recorded"),
        "records.destruction.proposed": _("Destruction proposed"),
        "records.destruction.approved": _("Destruction approved and carried out"),
        "records.destruction.rejected": _("Destruction rejected"),
        "records.category.saved": _("Archive category saved"),
        "records.scheme.saved": _("Archive naming rules saved"),
        "records.department_code.saved": _("Department code for archive numbers saved"),
        "records.register.exported": _("Destruction register exported"),
        "records.catalogue.exported": _("Catalogue of filed documents exported"),
    }
)
label_data_keys(
    {
        "archive_number": _("archive number"),
        "documents": _("documents"),
        "document": pgettext_lazy("archive", "document"),
        "file": _("file"),
        "version": _("version"),
        "sha256": "SHA-256",
        "previous_sha256": _("previous SHA-256"),
        "borrower": _("borrower"),
        "due_back": _("due back"),
        "location": pgettext_lazy("archive", "location"),
        "pieces": _("number of pieces"),
        "destruction": _("destruction"),
        "finalised": _("finally filed"),
        "incomplete": _("incomplete"),
        "review": _("yearly review"),
        "required_for": _("required for meeting kinds"),
        "files": _("files"),
        "supervisors": pgettext_lazy("archive register", "Supervisors"),
        "bytes": _("bytes"),
        "destructions": _("destructions"),
        "error_code": _("error code"),
    }
)
