"""Writes to the archive (split by sub-domain). Every function: keyword-only actor,
authorisation, one transaction, row locks where people race, an audit entry, file deletions
only after commit."""

# Category was reachable as services.Category before the split (the demo loader uses it).
from meetops.records.models import Category
from meetops.records.services.destruction import (
    approve_destruction,
    propose_destruction,
    reject_destruction,
)
from meetops.records.services.documents import (
    MAX_UPLOAD_BYTES,
    add_document,
    correct_document,
    log_dossier_view,
    open_version,
)
from meetops.records.services.dossiers import file_meeting, finalise_dossier, record_year_review
from meetops.records.services.filing import claim_filing, request_filing, run_filing
from meetops.records.services.paper import lend_item, register_paper_item, return_item
from meetops.records.services.scheme import (
    SCHEME_FIELDS,
    save_category,
    save_department_code,
    save_scheme,
    scheme,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "SCHEME_FIELDS",
    "Category",
    "add_document",
    "approve_destruction",
    "claim_filing",
    "correct_document",
    "file_meeting",
    "finalise_dossier",
    "lend_item",
    "log_dossier_view",
    "open_version",
    "propose_destruction",
    "record_year_review",
    "register_paper_item",
    "reject_destruction",
    "request_filing",
    "return_item",
    "run_filing",
    "save_category",
    "save_department_code",
    "save_scheme",
    "scheme",
]
