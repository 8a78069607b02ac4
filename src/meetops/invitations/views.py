"""Organiser pages: participants, staffing plan, RSVP dashboard, invitation templates."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meetops.core.errors import PermissionDenied
from meetops.core.forms import model_choice_field
from meetops.core.web import AuthedRequest, cleaned, errors_onto, form_error_text, say_saved
from meetops.invitations import forms, placeholders, qr, selectors, spreadsheets
from meetops.invitations.mail import rsvp_url
from meetops.invitations.models import InvitationTemplate, SavedGroup
from meetops.invitations.permissions import (
    can_edit_templates,
    can_manage_invitations,
    can_read_calendar_replies,
)
from meetops.invitations.services import feeds, public
from meetops.invitations.services import invitations as invites
from meetops.invitations.services import participants as people
from meetops.invitations.services.templates import save_template
from meetops.invitations.views_export import export_response
from meetops.meetings import services as meeting_services
from meetops.meetings.models import (
    DutyKind,
    Meeting,
    MeetingRole,
    Participant,
    ParticipantStatus,
)
from meetops.meetings.selectors import get_meeting_for_user
from meetops.people.names import NameOrder


def _load(request: AuthedRequest, pk: int, *, write: bool = False) -> Meeting:
    return get_meeting_for_user(request.user, pk, write=write)


@login_required
def participants(request: AuthedRequest, pk: int) -> HttpResponse:
    return _participants_page(request, _load(request, pk))


def _participants_page(
    request: AuthedRequest, meeting: Meeting, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The participants page; a refused form comes back in `bound` with what was typed."""
    manage = can_manage_invitations(request.user, meeting)
    groups = selectors.groups_for(request.user) if manage else SavedGroup.objects.none()
    ordering = request.GET.get("ordering", "")
    ordering = ordering if ordering in NameOrder.values else "role"
    context = {
        "meeting": meeting,
        "can_manage": manage,
        "participants": selectors.participants_of(meeting, ordering=ordering),
        "ordering": ordering,
        "orderings": [("role", _("By role")), *NameOrder.choices],
        "summary": selectors.rsvp_summary(meeting),
        "add_form": _without_group(forms.AddPeopleForm(groups=groups)),
        "group_form": forms.AddGroupForm(groups=groups),
        "groups_exist": manage and groups.exists(),
        "guest_form": forms.GuestForm(),
        "import_form": forms.ImportForm(),
    }
    context.update(bound)
    return render(request, "invitations/participants.html", context, status=status)


def _without_group(form: forms.AddPeopleForm) -> forms.AddPeopleForm:
    """The long "add people" form; saved groups have their own card above it."""
    form.fields.pop("group", None)
    return form


@login_required
@require_POST
def add_people(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add users, a department, contacts (the long form) or a saved group (its own card)."""
    meeting = _load(request, pk, write=True)
    form = forms.AddPeopleForm(request.POST, groups=selectors.groups_for(request.user))
    if form.is_valid():
        with errors_onto(form):  # the people chosen stay chosen
            result = people.add_people(meeting, actor=request.user, **form.cleaned_data)
            messages.success(
                request, _("%(added)d added, %(skipped)d already on the meeting.") % result.__dict__
            )
            return redirect("invitations:participants", pk=pk)
    messages.error(request, form_error_text(form))
    bound: dict[str, forms.AddGroupForm | forms.AddPeopleForm]
    if "group" in request.POST and not any(request.POST.get(f) for f in ("users", "contacts")):
        bound = {
            "group_form": forms.AddGroupForm(
                request.POST, groups=model_choice_field(form, "group").queryset
            )
        }
    else:
        bound = {"add_form": _without_group(form)}
    return _participants_page(request, meeting, status=422, **bound)


@login_required
@require_POST
def add_guest(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add one person who is neither a user nor a contact; a refusal keeps what was typed."""
    meeting = _load(request, pk, write=True)
    form = forms.GuestForm(request.POST)
    if form.is_valid():
        with errors_onto(form):
            added = meeting_services.add_participant(
                meeting, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("%(name)s added.") % {"name": added.display_name})
            return redirect("invitations:participants", pk=pk)
    messages.error(request, _("The guest was not added: see the form below."))
    return _participants_page(request, meeting, status=422, guest_form=form)


@login_required
@require_POST
def import_people(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    data = cleaned(forms.ImportForm(request.POST, request.FILES))
    rows = spreadsheets.read_rows(data["file"].read(), data["file"].name)
    result = people.import_participants(meeting, actor=request.user, rows=rows, merge=data["merge"])
    messages.success(request, _("Imported: %(created)d new, %(merged)d merged.") % result.__dict__)
    return redirect("invitations:participants", pk=pk)


@login_required
def export_people(request: AuthedRequest, pk: int) -> HttpResponse:
    return export_response(_load(request, pk, write=True))


@login_required
def edit_participant(request: AuthedRequest, pk: int, participant_id: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    participant = get_object_or_404(selectors.participants_of(meeting), pk=participant_id)
    form = forms.ParticipantForm(
        request.POST or None,
        initial={
            f: getattr(participant, f)
            for f in ("role", "attendance", "duty_kinds", "duties", "phone", "seat_preference")
        },
    )
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            people.update_participant(participant, actor=request.user, **form.cleaned_data)
            messages.success(request, _("%(name)s saved.") % {"name": participant.display_name})
            return redirect("invitations:participants", pk=pk)
    return render(
        request,
        "invitations/participant_form.html",
        {"meeting": meeting, "participant": participant, "form": form, "can_manage": True},
    )


@login_required
@require_POST
def remove_participant(request: AuthedRequest, pk: int, participant_id: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    participant = get_object_or_404(Participant, meeting=meeting, pk=participant_id)
    meeting_services.remove_participant(participant, actor=request.user)
    messages.success(
        request, _("%(name)s removed from the meeting.") % {"name": participant.display_name}
    )
    return redirect("invitations:participants", pk=pk)


@login_required
@require_POST
def send(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    to: Any = request.POST.get("to", "uninvited")
    if to == "chosen":
        to = [int(i) for i in request.POST.getlist("participant") if i.isdigit()]
        if not to:
            messages.error(request, _("Tick the people to send to first."))
            return redirect("invitations:participants", pk=pk)
    result = invites.send_invitations(meeting, actor=request.user, to=to)
    messages.success(
        request,
        _("%(queued)d invitation(s) queued; %(without_email)d without e-mail.") % result.__dict__,
    )
    return redirect("invitations:participants", pk=pk)


@login_required
@require_POST
def decide_substitute(request: AuthedRequest, pk: int, participant_id: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    invitation = selectors.invitation_of(meeting, participant_id)
    accept = request.POST.get("accept") == "1"
    invites.decide_substitute(invitation, actor=request.user, accept=accept)
    name = invitation.substitute_name
    messages.success(
        request,
        (_("%(name)s accepted as substitute.") if accept else _("%(name)s refused as substitute."))
        % {"name": name},
    )
    return redirect("invitations:rsvp", pk=pk)


@login_required
def staffing(request: AuthedRequest, pk: int) -> HttpResponse:
    """The staffing plan (P2.5): people by role, their duties and contact numbers. Prints cleanly.

    Those who manage the meeting give the duties here, everyone's in one form."""
    return _staffing_page(request, _load(request, pk))


@login_required
@require_POST
def staffing_save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save every duty of the plan at once; a refusal shows the table again as it was typed."""
    meeting = _load(request, pk, write=True)
    table = forms.duty_table(request.POST)
    rows = forms.duty_rows(table)
    if table.ok:
        with table.refusals():
            changed = people.give_duties(meeting, actor=request.user, rows=rows)
            messages.success(
                request,
                ngettext(
                    "Duties saved: %(count)d person changed.",
                    "Duties saved: %(count)d people changed.",
                    changed,
                )
                % {"count": changed},
            )
            return redirect("invitations:staffing", pk=pk)
    return _staffing_page(request, meeting, table=table, status=422)


def _on_plan(p: Participant) -> bool:
    return p.role != MeetingRole.PARTICIPANT or bool(p.duties or p.duty_kinds)


def _staffing_page(
    request: AuthedRequest, meeting: Meeting, *, table: Any = None, status: int = 200
) -> HttpResponse:
    edit = can_manage_invitations(request.user, meeting) and not meeting.is_frozen
    everyone = [
        p for p in selectors.participants_of(meeting) if p.status == ParticipantStatus.ACTIVE
    ]
    rows = [p for p in everyone if _on_plan(p)]
    context: dict[str, Any] = {
        "meeting": meeting,
        "rows": rows,
        "can_manage": can_manage_invitations(request.user, meeting),
        "can_edit": edit,
    }
    if edit:
        # Those on the plan first, then everyone else who could be given a duty.
        people_list = rows + [p for p in everyone if not _on_plan(p)]
        table = table or forms.duty_table(None, people_list)
        by_id = {str(p.pk): p for p in everyone}
        context["table"] = table
        context["plan"] = [
            {
                "row": row,
                "person": by_id.get(str(row.cell("participant"))),
                "kinds": [
                    (kind, label, bool(row.cell(forms.kind_box(kind))))
                    for kind, label in DutyKind.choices
                ],
            }
            for row in table.rows
        ]
    return render(request, "invitations/staffing.html", context, status=status)


@login_required
def rsvp_dashboard(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    state = invites.ensure_settings(meeting)
    pending_ids = invites.non_responders(meeting).values("participant_id")
    people_list = list(selectors.participants_of(meeting))
    maybe = selectors.tentative_by_mail(meeting)
    non_responders = list(selectors.participants_of(meeting).filter(pk__in=pending_ids))
    for p in [*people_list, *non_responders]:
        # For the template only: when the person said "maybe" in their calendar.
        p.tentative_at = maybe.get(getattr(getattr(p, "invitation", None), "pk", 0))  # type: ignore[attr-defined]
    return render(
        request,
        "invitations/rsvp_dashboard.html",
        {
            "meeting": meeting,
            "can_manage": True,
            "state": state,
            "summary": selectors.rsvp_summary(meeting),
            "non_responders": non_responders,
            "any_tentative": bool(maybe),
            "can_read_replies": can_read_calendar_replies(request.user),
            "substitutes": [
                p
                for p in people_list
                if getattr(p, "invitation", None) and p.invitation.substitute_status == "pending"
            ],
            "answered": [
                p for p in people_list if getattr(p, "invitation", None) and p.invitation.response
            ],
            "deadline_form": forms.DeadlineForm(initial={"deadline": state.rsvp_deadline}),
            "registration_form": forms.RegistrationSettingsForm(
                initial={"open": state.registration_open, "capacity": state.capacity}
            ),
            "is_public": meeting.confidentiality == "public",
            "feed_url": feeds.meeting_feed_url(meeting),
        },
    )


@login_required
@require_POST
def set_deadline(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    deadline = cleaned(forms.DeadlineForm(request.POST))["deadline"]
    state = invites.set_deadline(meeting, actor=request.user, deadline=deadline)
    say_saved(request, state, _("Deadline saved.") if deadline else _("Deadline removed."))
    return redirect("invitations:rsvp", pk=pk)


@login_required
@require_POST
def remind(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    count = invites.remind_non_responders(meeting, actor=request.user)
    messages.success(request, _("%(count)d reminder(s) queued.") % {"count": count})
    return redirect("invitations:rsvp", pk=pk)


@login_required
@require_POST
def registration_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk, write=True)
    fields = cleaned(forms.RegistrationSettingsForm(request.POST))
    state = public.set_registration(meeting, actor=request.user, **fields)
    say_saved(request, state, _("Registration settings saved."))
    return redirect("invitations:rsvp", pk=pk)


@login_required
def templates(request: AuthedRequest) -> HttpResponse:
    """Edit an invitation template with a live preview on a sample meeting."""
    if not can_edit_templates(request.user):
        raise Http404
    form = forms.TemplateForm(request.POST or None, initial=_template_initial(request))
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "save" in request.POST:
            with errors_onto(form, field="body"):
                template = save_template(actor=request.user, **data)
                say_saved(request, template, _("Template saved."))
                return redirect(
                    f"{request.path}?kind={data['kind'].pk if data['kind'] else ''}&language={data['language']}"
                )
        preview = _preview(data["subject"], data["body"])
        unknown = placeholders.unknown_placeholders(data["subject"], data["body"])
        if unknown and "save" not in request.POST:  # say so now, not only when saving
            form.add_error(
                "body",
                _("Unknown placeholder(s): %(names)s")
                % {"names": ", ".join(f"{{{{ {n} }}}}" for n in unknown)},
            )
    return render(
        request,
        "invitations/templates.html",
        {
            "form": form,
            "preview": preview,
            "placeholders": placeholders.ALLOWED.items(),
            "templates": InvitationTemplate.objects.select_related("kind"),
        },
    )


def _template_initial(request: AuthedRequest) -> dict[str, Any]:
    kind, language = request.GET.get("kind") or None, request.GET.get("language") or "zh-hans"
    # int() refuses what the id lookup refused (ValueError), as before.
    kind_id = int(kind) if kind is not None else None
    row = InvitationTemplate.objects.filter(kind_id=kind_id, language=language).first()
    return {
        "kind": kind,
        "language": language,
        "subject": row.subject if row else "",
        "body": row.body if row else "",
    }


def _preview(subject: str, body: str) -> placeholders.Rendered:
    """The template filled with sample values (the real ones come from the meeting when sending)."""
    values = {
        "person.name": _("Li Ming"),
        "meeting.title": _("Sample meeting"),
        "meeting.kind": _("Regular meeting"),
        "meeting.time": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
        "meeting.place": _("Room 301"),
        "meeting.description": _("What the meeting is about."),
        "meeting.agenda": "1. …\n2. …",
        "meeting.organiser": _("The organiser"),
        "rsvp.deadline": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
        "link": f"{settings.SITE_URL}/rsvp/…",
        "qr": f"{settings.SITE_URL}/rsvp/…/qr.svg",
    }
    return placeholders.render(subject, body, values)


@login_required
def my_calendar(request: AuthedRequest) -> HttpResponse:
    """The user's personal calendar subscription URL (and a button to replace it)."""
    if request.method == "POST":
        url = feeds.reset_user_feed(request.user, actor=request.user)
        messages.success(request, _("A new address was made; the old one no longer works."))
    else:
        url = feeds.user_feed_url(request.user)
    return render(request, "invitations/my_calendar.html", {"feed_url": url})


@login_required
def handout(request: AuthedRequest, pk: int) -> HttpResponse:
    """Personal links, with QR codes, of invitees nothing can reach (no e-mail, no account):
    a page to print and hand out (issue 16 finding 3)."""
    meeting = _load(request, pk)
    if not can_manage_invitations(request.user, meeting):
        raise PermissionDenied()
    people = [
        (p, rsvp_url(p.invitation.token), _qr_data(rsvp_url(p.invitation.token)))
        for p in selectors.to_hand_out(meeting)
    ]
    return render(request, "invitations/handout.html", {"meeting": meeting, "people": people})


def _qr_data(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr.svg(url, scale=4)).decode()
