"""Pages of the follow-up process itself (P8.7): the periodic review, the rules in force with
their versions and proposals, proposing a change, deciding one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetops.core.errors import ValidationFailed
from meetops.core.web import AuthedRequest, cleaned
from meetops.followup import forms, permissions, process_review, ruleset, services
from meetops.followup.models import RULE_FIELDS
from meetops.followup.services.rules import RULES_CHANGE, get_proposal_for_user, values_of


@login_required
@require_GET
def review(request: AuthedRequest) -> HttpResponse:
    """Overdue patterns, time to done, escalations that worked, acceptance on the first try."""
    if not permissions.can_see_followup_review(request.user):
        raise Forbidden
    form = forms.ReviewForm(request.GET or None)
    data = cleaned(form) if request.GET else {}
    period = process_review.review_period(data.get("start"), data.get("end"))
    within = data.get("within") or process_review.DEFAULT_WITHIN_DAYS
    figures = process_review.followup_review(request.user, period, within_days=within)
    return render(
        request,
        "followup/review.html",
        {
            "form": form,
            "period": period,
            "review": figures,
            "rules": ruleset.current_rules(),
            "can_propose": permissions.can_propose_rules(request.user),
            "nav_area": "followup",
        },
    )


@login_required
@require_GET
def rules(request: AuthedRequest) -> HttpResponse:
    """The rules in force, every adopted version, and the proposals (to those who take part)."""
    user = request.user
    involved = permissions.can_propose_rules(user) or permissions.can_decide_rules(user)
    proposals = ruleset.proposals() if involved else []
    return render(
        request,
        "followup/rules.html",
        {
            "rules": ruleset.current_rules(),
            "versions": ruleset.versions(),
            "proposals": proposals,
            "decidable": {p.pk for p in proposals if RULES_CHANGE.can_decide(user, p)},
            "fields": RULE_FIELDS,
            "can_propose": permissions.can_propose_rules(user),
            "nav_area": "followup",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: AuthedRequest) -> HttpResponse:
    """Propose new values with a reason; a process administrator decides."""
    if not permissions.can_propose_rules(request.user):
        raise Forbidden
    form = forms.RulesProposalForm(request.POST or None, initial=values_of(ruleset.current_rules()))
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in RULE_FIELDS}
        try:
            services.propose_rules_change(
                actor=request.user, values=values, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your proposal waits for a decision."))
            return redirect("followup:rules")
    return render(request, "followup/rules_propose.html", {"form": form, "nav_area": "followup"})


@login_required
@require_POST
def decide(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    """Adopt a proposal as the next version, or decline it with a reason."""
    user = request.user
    # 404 for those with no part in the rules; the service refuses (403) proposers who decide.
    proposal = get_proposal_for_user(user, proposal_id)
    data = cleaned(forms.RulesDecisionForm(request.POST))
    adopt = data["decision"] == "adopt"
    services.decide_rules_proposal(proposal, actor=user, approve=adopt, comment=data["comment"])
    messages.success(
        request, _("New rules are in force.") if adopt else _("The proposal was declined.")
    )
    return redirect("followup:rules")
