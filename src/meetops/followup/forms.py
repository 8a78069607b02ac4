"""Forms of the follow-up pages: parse what was typed; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.forms import model_choice_field
from meetops.core.validation import SaneDateField
from meetops.followup.models import AcceptedBy, EscalationKind
from meetops.followup.services.escalations import RAISABLE
from meetops.minutes.models import ActionState
from meetops.people.models import Department, Role, User
from meetops.people.selectors import by_name


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("What was done, what is next"), widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)


class CommentForm(forms.Form):
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)


class UrgeForm(forms.Form):
    note = forms.CharField(label=_("Note to the owner (optional)"), max_length=500, required=False)


class DueDateForm(forms.Form):
    due_date = SaneDateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is needed"),
        choices=[(k.value, k.label) for k in EscalationKind if k in RAISABLE],
    )
    text = forms.CharField(label=_("The problem"), widget=forms.Textarea(attrs={"rows": 3}))
    leaders = forms.ModelMultipleChoiceField(
        label=_("Also report to these leaders"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaders = User.objects.filter(is_active=True, role_assignments__role=Role.LEADER)
        model_choice_field(self, "leaders").queryset = by_name(leaders.distinct())


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Decision or instruction"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(forms.Form):
    quality = forms.TypedChoiceField(
        label=_("Quality"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)]
    )
    practice_note = forms.CharField(
        label=_("How the results turned into practice (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why it goes back"), widget=forms.Textarea(attrs={"rows": 2}))


class DoneForm(forms.Form):
    completion_note = forms.CharField(
        label=_("Completion note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CooperationForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Cooperating departments"),
        queryset=Department.objects.all(),
        required=False,
    )


STATE_CHOICES = [
    ("", pgettext_lazy("filter", "All")),
    ("live", _("Open and in progress")),
    *ActionState.choices,
    ("awaiting_acceptance", _("Done, awaiting acceptance")),
    ("accepted", pgettext_lazy("review", "Accepted")),
]


class BoardFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    meeting = forms.IntegerField(label=_("Meeting"), required=False, min_value=1)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    due_this_week = forms.BooleanField(label=_("Due this week"), required=False)

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            model_choice_field(self, "owner").queryset = owners


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Give to"), queryset=User.objects.filter(is_active=True))


class PeriodForm(forms.Form):
    """The period of a performance page; empty means this calendar year."""

    start = SaneDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = SaneDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


# --- the follow-up review and rules (P8.7) ---------------------------------------------------


class ReviewForm(PeriodForm):
    """The review's period (empty: the last quarter) and its escalation window."""

    within = forms.IntegerField(
        label=_("An escalation worked when the item was done within (days)"),
        required=False,
        min_value=1,
        max_value=90,
    )


class RulesProposalForm(forms.Form):
    """New values for the follow-up rules; the service judges them."""

    remind_before_days = forms.IntegerField(
        label=_("Remind the owner this many days before the due date"), min_value=0
    )
    overdue_every_days = forms.IntegerField(
        label=_("Remind about an overdue item every this many days"), min_value=1
    )
    escalate_after_days = forms.IntegerField(
        label=_("Escalate to the department heads this many days after the due date"),
        min_value=1,
    )
    escalate_leaders_after_days = forms.IntegerField(
        label=_("Escalate to the organisers and leaders this many days after the due date"),
        min_value=1,
    )
    accepted_by = forms.ChoiceField(
        label=_("Who accepts finished work"), choices=AcceptedBy.choices
    )
    reason = forms.CharField(label=_("Why change them"), widget=forms.Textarea(attrs={"rows": 3}))


class RulesDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("adopt", "adopt"), ("reject", "reject")])
    comment = forms.CharField(required=False, max_length=2000)
