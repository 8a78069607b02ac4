"""Editing invitation templates (per meeting kind and language) and previewing them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.invitations import placeholders
from meetops.invitations.models import InvitationTemplate, Language
from meetops.invitations.permissions import can_edit_templates
from meetops.meetings.models import MeetingKind
from meetops.people.models import User


def save_template(
    *, actor: User, kind: MeetingKind | None, language: str, subject: str, body: str
) -> InvitationTemplate:
    """Create or replace the template for a kind (None: every kind) and language. The same
    subject and text saved again write nothing (`audit.nothing_changed(template)`).

    Refuses placeholders outside the allow-list (`unknown_placeholder`).
    """
    if not can_edit_templates(actor):
        raise PermissionDenied()
    if language not in Language.values:
        raise ValidationFailed(_("Unknown language."), "unknown_language", field="language")
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationFailed(
            _("Subject and text are required."), "template_required", field="body"
        )
    unknown = placeholders.unknown_placeholders(subject, body)
    if unknown:
        raise ValidationFailed(
            _("Unknown placeholder(s): %(names)s")
            % {"names": ", ".join(f"{{{{ {n} }}}}" for n in unknown)},
            "unknown_placeholder",
            field="body",
            placeholders=unknown,
        )
    with transaction.atomic():
        template, created = InvitationTemplate.objects.select_for_update().get_or_create(
            kind=kind,
            language=language,
            defaults={"subject": subject, "body": body, "updated_by": actor},
        )
        before = {} if created else {"subject": template.subject, "body": template.body}
        template.subject, template.body = subject, body
        changes = audit.record_changes(
            "invitations.template.saved",
            template,
            actor=actor,
            before=before,
            after={"subject": subject, "body": body},
        )
        # The same text saved again writes nothing: no entry, the last editor stays.
        if changes and not created:
            template.updated_by = actor
            template.save(update_fields=["subject", "body", "updated_by", "updated_at"])
        audit.note_outcome(template, changes)
    return template
