"""Template helpers: readable audit action names and field labels; the menu and page slots
filled from the registry."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.apps import apps
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from meetops.core import audit, menu

register = template.Library()

# Readable names of the audit actions the foundation writes. Other apps register
# theirs in their `audit_labels.py` (core.audit.label_actions); a code without a
# label falls back to the dotted code itself, which is stable and searchable.
ACTION_LABELS = {
    "meetings.meeting.created": _("Meeting created"),
    "meetings.meeting.updated": _("Meeting changed"),
    "meetings.meeting.stage_changed": _("Stage changed"),
    "meetings.meeting.stage_overridden": _("Stage changed over open steps (override)"),
    "meetings.participant.added": _("Participant added"),
    "meetings.participant.removed": _("Participant removed"),
    "policy.step.completed": _("Step done"),
    "policy.step.waived": _("Step waived"),
    "policy.step.reopened": _("Step reopened"),
    "policy.template.drafted": _("Process version drafted"),
    "policy.template.published": _("Process version published"),
    "people.user.created": _("User created"),
    "people.user.roles_changed": _("Roles changed"),
    "people.user.language_changed": _("Language changed"),
    "people.department.created": _("Department created"),
    "people.contact.created": _("External contact added"),
    "people.token.created": _("API token created"),
    "people.token.revoked": _("API token revoked"),
}


@register.filter
def action_label(code: str) -> Any:
    return ACTION_LABELS.get(code) or audit.action_labels().get(code, code)


@register.filter
def pairs(value: Any) -> list[tuple[Any, Any]]:
    """A dict's (key, value) pairs. `{% for k, v in d.items %}` breaks when the dict has a key
    "items" (audit data such as `{"items": 3}`): the template looks the key up before the method."""
    return list(value.items()) if isinstance(value, dict) else []


@cache
def _model_for(object_type: str) -> type[Model] | None:
    for model in apps.get_models():
        if model._meta.model_name == object_type:
            return model
    return None


def _field(object_type: str, name: str) -> Any:
    model = _model_for(object_type)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # not a model field (e.g. "roles")
        return None


@register.simple_tag
def field_label(object_type: str, name: str) -> Any:
    """The field's verbose name on the audited model, else the `data` key's label, else the name."""
    label = getattr(_field(object_type, name), "verbose_name", None)
    return label or audit.data_key_labels().get(name, name)


@register.simple_tag
def value_label(object_type: str, name: str, value: Any) -> Any:
    """A coded value as people read it: the audited field's choice (a stage code → its name),
    else a label registered for the key (`core.audit.label_values`), else the value itself."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return value
    choices = getattr(_field(object_type, name), "flatchoices", None)
    labels: dict[Any, Any] = dict(choices) if choices else dict(audit.value_labels(name))
    return labels.get(value, value)


@register.inclusion_tag("core/_menu.html", takes_context=True)
def main_menu(context: template.Context) -> dict[str, Any]:
    """The main menu's links the signed-in user sees, from the registry's "menu" store."""
    return {"entries": menu.menu_for(context["user"]), "nav_area": context.get("nav_area", "")}


@register.simple_tag
def page_slot(slot: str) -> list[str]:
    """The templates higher apps put into this slot of the page (the registry's "page_slots"
    store): a lower app's page shows a higher app's line without naming it."""
    return menu.page_slot_templates(slot)


@register.simple_tag
def toolbar_templates() -> list[str]:
    """The templates apps put into the top bar (the registry's "toolbar" store)."""
    return menu.toolbar_templates()


@register.simple_tag(takes_context=True)
def meeting_links(context: template.Context, slot: str) -> list[str]:
    """The templates of one slot of the meeting page this user sees ("actions", "panels")."""
    return menu.meeting_links(
        slot, context["user"], context["meeting"], bool(context.get("can_manage"))
    )
