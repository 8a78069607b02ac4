"""Writes of the supplier register (P10.5), by sub-domain; re-exported here."""

from meetops.partners.services.meetings import (
    link_supplier,
    rate_supplier,
    unlink_supplier,
    update_rating,
)
from meetops.partners.services.register import (
    add_contact,
    add_contract,
    add_qualification,
    appoint_manager,
    dismiss_manager,
    remove_contact,
    save_supplier,
    set_contacts,
    update_contract,
    update_qualification,
)

__all__ = [
    "add_contact",
    "add_contract",
    "add_qualification",
    "appoint_manager",
    "dismiss_manager",
    "link_supplier",
    "rate_supplier",
    "remove_contact",
    "save_supplier",
    "set_contacts",
    "unlink_supplier",
    "update_contract",
    "update_qualification",
    "update_rating",
]
