"""Readable names of the keys of audit `data` that several apps write, and their shared coded values.

The stage and role codes are labelled by meetings (meetings/audit_labels.py).

Keys one app alone writes are labelled in that app's `audit_labels.py`. A key without a
label is shown as itself (see core.audit.label_data_keys).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.audit import label_data_keys, label_values

label_data_keys(
    {
        "reason": _("reason"),
        "note": _("note"),
        "meeting": _("meeting"),
        "room": _("room"),
        "start": _("start"),
        "end": _("end"),
        "status": _("status"),
        "stage": _("stage"),
        "participant": _("participant"),
        "new_participant": _("new participant"),
        "person": _("person"),
        "substitute": _("substitute"),
        "role": _("role"),
        "roles": _("roles"),
        "user": _("user"),
        "users": _("users"),
        "contacts": _("external contacts"),
        "department": _("department"),
        "group": pgettext_lazy("audit", "group"),
        "count": _("count"),
        "created": _("created"),
        "updated": _("updated"),
        "deleted": _("deleted"),
        "merged": _("merged"),
        "items": _("items"),
        "item": _("item"),
        "title": _("title"),
        "to": _("to"),
        "invited": _("invited"),
        "queued": _("messages queued"),
        "sequence": _("calendar sequence"),
        "registration": _("registration"),
        "choices": _("choices"),
        "url": _("address"),
        "secret_changed": _("secret changed"),
        "process_version": _("process version"),
        "from_version": _("from version"),
        "previous_version": _("previous version"),
        "override_reason": _("override reason"),
        "open_steps": _("open steps"),
        "step": _("step"),
        "clause": _("policy clause"),
        "rule": _("rule"),
        "automatic": _("automatic"),
        "attachment": _("attachment"),
        "file": _("file"),
    }
)
label_values("reason", {"participant_removed": _("removed from the meeting")})
