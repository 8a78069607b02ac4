"""Reading the minutes editor's form and the action item forms.

The editor posts flat fields (`s0-title`, `s0-d1-text`, ...). Parsing keeps
exactly what was typed, so a page re-rendered after a validation error shows
every character again; the service decides what is valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from meetops.core.forms import choice_field, model_choice_field
from meetops.core.validation import SaneDateField
from meetops.minutes.models import ActionState
from meetops.minutes.selectors import DecisionView, SectionView
from meetops.people.models import Department, User

MAX_ROWS = 200


def _count(data: QueryDict, key: str) -> int:
    try:
        return max(0, min(int(data.get(key, "0")), MAX_ROWS))
    except ValueError:
        return 0


def _vote(raw: str) -> int | str | None:
    raw = raw.strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() else raw  # the service refuses what is not a count


def _item_id(raw: str) -> int | None:
    return int(raw) if raw.strip().isdigit() else None


def parse_editor(data: QueryDict) -> tuple[dict[str, Any], list[SectionView]]:
    """(keyword arguments for `save_minutes`, the sections as typed for re-rendering)."""
    views: list[SectionView] = []
    sections: list[dict[str, Any]] = []
    for i in range(_count(data, "sections")):
        p = f"s{i}-"
        title, notes = data.get(p + "title", ""), data.get(p + "notes", "")
        decisions = []
        for j in range(_count(data, p + "decisions")):
            q = f"{p}d{j}-"
            decisions.append(
                DecisionView(
                    data.get(q + "text", ""),
                    votes_for=_vote(data.get(q + "for", "")),
                    votes_against=_vote(data.get(q + "against", "")),
                    votes_abstain=_vote(data.get(q + "abstain", "")),
                )
            )
        item_id = _item_id(data.get(p + "agenda_item", ""))
        view = SectionView(title=title, agenda_item_id=item_id, notes=notes, decisions=decisions)
        views.append(view)
        blank = not (title.strip() or notes.strip() or any(d.text.strip() for d in decisions))
        if not blank or item_id:
            sections.append(view.as_dict())
    revision = data.get("revision", "")
    fields = {
        "sections": sections,
        "notes": data.get("notes", ""),
        "summary": data.get("summary", ""),
        "action_plan": data.get("action_plan", ""),
        "revision": int(revision) if revision.isdigit() else None,
    }
    return fields, views


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    department = forms.ModelChoiceField(
        label=_("Owning department"), queryset=Department.objects.all(), required=False
    )
    due_date = SaneDateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decision = forms.ChoiceField(label=_("From decision"), required=False)

    def __init__(
        self, *args: Any, decisions: Sequence[Any] = (), people: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = model_choice_field(self, "owner")
        owner.queryset = people if people is not None else User.objects.filter(is_active=True)
        self.decisions = {str(d.pk): d for d in decisions}
        choice = choice_field(self, "decision")
        choice.choices = [("", "—")] + [(str(d.pk), d.text[:80]) for d in decisions]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["decision"] = self.decisions.get(data.get("decision") or "")
        return data


class ActionStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=ActionState.choices)
    completion_note = forms.CharField(
        label=_("Completion note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
