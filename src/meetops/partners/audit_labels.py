"""Readable names of this app's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "partners.supplier.created": _("Supplier added to the register"),
        "partners.supplier.updated": _("Supplier changed"),
        "partners.contact.added": _("Supplier contact added"),
        "partners.contact.removed": _("Supplier contact removed"),
        "partners.contacts.replaced": _("Supplier contacts replaced"),
        "partners.qualification.added": _("Supplier qualification recorded"),
        "partners.qualification.updated": _("Supplier qualification changed"),
        "partners.contract.added": _("Supplier contract recorded"),
        "partners.contract.updated": _("Supplier contract changed"),
        "partners.supplier.linked": _("Supplier linked to the meeting"),
        "partners.supplier.unlinked": _("Supplier taken off the meeting"),
        "partners.rating.given": _("Supplier rated"),
        "partners.rating.changed": _("Supplier rating changed"),
        "partners.manager.appointed": _("Register manager appointed"),
        "partners.manager.dismissed": _("Register manager removed"),
    }
)
label_data_keys(
    {
        "supplier": _("supplier"),
        "supplied": _("what they supplied"),
        "contract": _("contract"),
        "qualification": _("qualification"),
        "contact": _("contact"),
    }
)
