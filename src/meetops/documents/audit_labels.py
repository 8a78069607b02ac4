"""Readable names of the documents' audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions

label_actions(
    {
        "documents.number.issued": _("Document number issued"),
        "documents.issuer.updated": _("Issuing body's settings changed"),
        "documents.template.uploaded": _("Office template uploaded"),
        "documents.template.removed": _("Office template removed"),
    }
)
