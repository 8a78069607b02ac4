"""Form parsing for the pages; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meetops.core.forms import model_choice_field
from meetops.core.validation import SaneDateTimeField
from meetops.improvement.models import Case, Effectiveness, Lesson, Measure
from meetops.meetings.models import Meeting, MeetingKind
from meetops.people.models import Department, User
from meetops.people.selectors import by_name


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["phase", "category", "effect", "what_happened", "cause", "root_cause"]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "cause": forms.Textarea(
                attrs={
                    "rows": 3,
                    "placeholder": _("Why did it happen? Ask why until the root cause shows."),
                }
            ),
        }
        help_texts = {
            "cause": _("A short 5-whys: the chain of causes down to the root."),
            "root_cause": _(
                "The root cause in a few words; the same words in several meetings mark a "
                "recurring cause."
            ),
        }

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MeasureForm(forms.ModelForm):
    lessons = forms.ModelMultipleChoiceField(
        label=_("lessons"),
        queryset=Lesson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "lessons",
            "owner",
            "owner_department",
            "due_date",
            "expected_effect",
            "proposes_process_change",
            "process_change",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "expected_effect": forms.Textarea(attrs={"rows": 2}),
            "process_change": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, lessons: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = by_name(User.objects.filter(is_active=True))
        model_choice_field(self, "owner_department").queryset = Department.objects.order_by("path")
        if lessons is not None:
            model_choice_field(self, "lessons").queryset = lessons
        else:
            del self.fields["lessons"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["lessons"] = list(data.get("lessons") or [])
        return data


class MeasureEditForm(MeasureForm):
    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("lessons", None)
        return data


class CompleteForm(forms.Form):
    result_note = forms.CharField(label=_("result"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(
        label=_("evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A link, a document number or where the proof is kept."),
    )


class DropForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for dropping"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    effectiveness = forms.ChoiceField(label=_("effective?"), choices=Effectiveness.choices)
    note = forms.CharField(
        label=_("review note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseForm(forms.ModelForm):
    tags = forms.CharField(label=_("tags"), required=False, help_text=_("Separated by commas."))
    submit = forms.BooleanField(label=_("Send for approval now"), required=False, initial=True)
    source_url = forms.URLField(
        label=_("source link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Case
        fields = [
            "title",
            "summary",
            "success_factors",
            "materials_note",
            "tags",
            "source",
            "source_url",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "success_factors": forms.Textarea(attrs={"rows": 3}),
            "materials_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, external: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not external:
            del self.fields["source"]
            del self.fields["source_url"]
        else:
            self.fields["source"].required = True

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=2000, required=False)


class SharingForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("sharing session"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "meeting").queryset = meetings


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300, required=False)
    start = SaneDateTimeField(
        label=_("start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    kind = forms.ModelChoiceField(label=_("kind"), queryset=MeetingKind.objects.none())
    duration_minutes = forms.IntegerField(
        label=_("length (minutes)"), min_value=15, max_value=24 * 60, initial=120
    )

    def __init__(self, *args: Any, external: bool = False, **kwargs: Any) -> None:
        """An outside practice has no meeting to copy: its kind and length are asked for."""
        super().__init__(*args, **kwargs)
        if external:
            kinds = MeetingKind.objects.filter(active=True).order_by("order", "code")
            model_choice_field(self, "kind").queryset = kinds
        else:
            del self.fields["kind"]
            del self.fields["duration_minutes"]
