"""Lessons, improvement measures and case pages. Load with authorisation, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.web import AuthedRequest, cleaned, errors_onto, paginated, say_saved
from meetops.improvement import forms, selectors, sources
from meetops.improvement import permissions as perms
from meetops.improvement.decisions import CASE
from meetops.improvement.models import CaseKind, CaseStatus, Category, Effect, MeasureStatus, Phase
from meetops.improvement.services import cases as case_services
from meetops.improvement.services import lessons as lesson_services
from meetops.improvement.services import measures as measure_services
from meetops.meetings.models import Meeting, MeetingKind
from meetops.meetings.permissions import can_create_meeting
from meetops.meetings.selectors import get_meeting_for_user, managed_by, meetings_visible_to
from meetops.people.models import Department, User
from meetops.policy.models import ProcessTemplate


def _user(request: AuthedRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    return request.user


def _meeting_in_query(request: AuthedRequest) -> Meeting | None:
    """The meeting named by `?meeting=` (404 if unseen), or None for organisation-wide."""
    meeting_id = _int(request.GET.get("meeting"))
    return get_meeting_for_user(_user(request), meeting_id) if meeting_id else None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _submit(
    request: AuthedRequest,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    done: str,
    then: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """On a valid POST: call the service with the form's fields; on success go to `then(result)`.

    None when there is nothing to do or the service refused (its message is on the form).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    with errors_onto(form):
        result = call(form.service_fields())
        messages.success(request, done)
        return then(result)
    return None


def _linked_page(request: AuthedRequest, rows: Any, per_page: int) -> dict[str, Any]:
    """`paginated`, each row of the page with the path back to its source this reader may follow."""
    pages = paginated(request, rows, per_page)
    pages["page"].object_list = selectors.with_source_links(
        _user(request), pages["page"].object_list
    )
    return pages


# --- lessons ---------------------------------------------------------------------


@login_required
def lesson_register(request: AuthedRequest) -> HttpResponse:
    """All lessons the user may see, filtered, with counts per category (org-wide ones added here)."""
    user = _user(request)
    can_add = perms.can_write_lessons(user, None)
    form = forms.LessonForm(request.POST or None)
    if request.method == "POST" and not can_add:
        raise Forbidden
    saved = _submit(
        request,
        form,
        lambda data: lesson_services.record_lesson(actor=user, meeting=None, **data),
        _("Lesson recorded."),
        lambda _lesson: redirect("lessons"),
    )
    if saved is not None:
        return saved
    g = request.GET
    filters = selectors.LessonFilters(
        category=g.get("category", "") if g.get("category") in Category.values else "",
        phase=g.get("phase", "") if g.get("phase") in Phase.values else "",
        effect=g.get("effect", "") if g.get("effect") in Effect.values else "",
        kind=g.get("kind", "")[:40],
        department=_int(g.get("department")),
        year=_int(g.get("year")),
        q=g.get("q", "")[:200],
    )
    lessons = selectors.search_lessons(user, filters)
    recurring_at = min(max(_int(g.get("recurring")) or selectors.RECURRING_MEETINGS, 2), 50)
    context = {
        **_linked_page(request, lessons, 50),
        "counts": selectors.category_counts(lessons),
        "recurring": selectors.recurring_causes(lessons, recurring_at),
        "recurring_at": recurring_at,
        "filters": filters,
        "phases": Phase.choices,
        "categories": Category.choices,
        "effects": Effect.choices,
        "kinds": MeetingKind.objects.filter(active=True).order_by("order"),
        "departments": Department.objects.order_by("path"),
        "form": form if can_add else None,
        "nav_area": "improvement",
    }
    return render(request, "improvement/lessons.html", context)


@login_required
def meeting_lessons(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(_user(request), pk)
    user = _user(request)
    can_write = perms.can_write_lessons(user, meeting)
    form = forms.LessonForm(request.POST or None)
    if request.method == "POST" and not can_write:
        raise Forbidden
    saved = _submit(
        request,
        form,
        lambda data: lesson_services.record_lesson(actor=user, meeting=meeting, **data),
        _("Lesson recorded."),
        lambda _lesson: redirect("meeting_lessons", pk=meeting.pk),
    )
    if saved is not None:
        return saved
    context = {
        "meeting": meeting,
        "lessons": selectors.with_source_links(user, selectors.lessons_of(meeting)),
        "measures": selectors.with_source_links(
            user, selectors.measures_visible_to(user).filter(meeting=meeting)
        ),
        "cases": selectors.cases_visible_to(user).filter(meeting=meeting),
        "form": form if can_write else None,
        "can_plan": perms.can_plan_measures(user, meeting),
        "can_nominate": perms.can_nominate_case(user, meeting)
        and meeting.confidentiality in perms.SHAREABLE,
    }
    return render(request, "improvement/meeting_lessons.html", context)


@login_required
def lesson_edit(request: AuthedRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.get_lesson_for_user(_user(request), lesson_id)
    if not perms.can_edit_lesson(_user(request), lesson.author_id, lesson.meeting):
        raise Forbidden
    back = ("meeting_lessons", lesson.meeting_id) if lesson.meeting_id else ("lessons",)
    if request.method == "POST" and request.POST.get("delete"):
        lesson_services.delete_lesson(lesson, actor=_user(request))
        messages.success(request, _("Lesson deleted."))
        return redirect(*back)
    form = forms.LessonForm(request.POST or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        lesson.refresh_from_db()  # the form wrote into the instance; the service compares with the stored row
        with errors_onto(form):
            saved = lesson_services.update_lesson(
                lesson, actor=_user(request), **form.service_fields()
            )
            say_saved(request, saved, _("The lesson is saved."))
            return redirect(*back)
    return render(request, "improvement/lesson_form.html", {"form": form, "lesson": lesson})


def _source(request: AuthedRequest, kind: str, ref: int, key: str) -> sources.Source:
    return sources.load(_user(request), kind, ref, key)


@login_required
def lesson_from_source(request: AuthedRequest, kind: str, ref: int, key: str = "") -> HttpResponse:
    """P6.7 in one step: the lesson form prefilled from a problem, with its cause analysis."""
    origin = _source(request, kind, ref, key)
    user = _user(request)
    if not sources.KINDS[kind].for_lessons:
        raise Http404
    if not perms.can_write_lessons(user, origin.meeting):
        raise Forbidden
    form = forms.LessonForm(request.POST or None, initial=origin.lesson_initial())
    back = ("meeting_lessons", origin.meeting.pk) if origin.meeting else ("lessons",)
    saved = _submit(
        request,
        form,
        lambda data: lesson_services.record_lesson_from_source(origin, actor=user, **data),
        _("Lesson recorded."),
        lambda _lesson: redirect(*back),
    )
    if saved is not None:
        return saved
    context = {"form": form, "origin": origin, "nav_area": "improvement"}
    return render(request, "improvement/lesson_from_source.html", context)


# --- measures --------------------------------------------------------------------


@login_required
def measure_list(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    status = g.get("status", "") if g.get("status") in MeasureStatus.values else ""
    measures = selectors.search_measures(
        _user(request),
        status=status,
        overdue=g.get("overdue") == "1",
        mine=g.get("mine") == "1",
    )
    context = {
        **_linked_page(request, measures, 50),
        "status": status,
        "statuses": MeasureStatus.choices,
        "can_plan": perms.can_plan_measures(_user(request), None),
        "can_see_proposals": perms.can_see_proposals(_user(request)),
        "nav_area": "improvement",
    }
    return render(request, "improvement/measures.html", context)


@login_required
def measure_new(request: AuthedRequest) -> HttpResponse:
    """Plan a measure: for a meeting (?meeting=, with its lessons to choose from) or org-wide."""
    meeting = _meeting_in_query(request)
    if not perms.can_plan_measures(_user(request), meeting):
        raise Forbidden
    if meeting is not None:
        lessons = selectors.lessons_of(meeting)
    else:
        lessons = selectors.lessons_visible_to(_user(request)).filter(meeting__isnull=True)
    chosen = [x for x in (_int(v) for v in request.GET.getlist("lesson")) if x]
    form = forms.MeasureForm(request.POST or None, lessons=lessons, initial={"lessons": chosen})
    saved = _submit(
        request,
        form,
        lambda data: measure_services.create_measure(actor=_user(request), meeting=meeting, **data),
        _("Improvement measure planned."),
        lambda measure: redirect("measure_detail", measure_id=measure.pk),
    )
    if saved is not None:
        return saved
    context = {"form": form, "meeting": meeting, "nav_area": "improvement"}
    return render(request, "improvement/measure_form.html", context)


@login_required
def measure_from_source(request: AuthedRequest, kind: str, ref: int, key: str = "") -> HttpResponse:
    """P9.1: plan a measure from an evaluation result, an acceptance, a drill or a lesson."""
    origin = _source(request, kind, ref, key)
    user = _user(request)
    if not perms.can_plan_measures(user, origin.meeting):
        raise Forbidden
    form = forms.MeasureForm(request.POST or None, initial=origin.measure_initial())
    saved = _submit(
        request,
        form,
        lambda data: measure_services.plan_measure_from_source(origin, actor=user, **data),
        _("Improvement measure planned."),
        lambda measure: redirect("measure_detail", measure_id=measure.pk),
    )
    if saved is not None:
        return saved
    context = {
        "form": form,
        "meeting": origin.meeting,
        "origin": origin,
        "nav_area": "improvement",
    }
    return render(request, "improvement/measure_form.html", context)


@login_required
def measure_detail(request: AuthedRequest, measure_id: int) -> HttpResponse:
    measure = selectors.get_measure_for_user(_user(request), measure_id)
    user = _user(request)
    works = perms.can_work_on_measure(
        user,
        owner_id=measure.owner_id,
        created_by_id=measure.created_by_id,
        meeting=measure.meeting,
    )
    edit_form = forms.MeasureEditForm(request.POST or None, instance=measure)
    if request.method == "POST":
        if not works:
            raise Forbidden
        if edit_form.is_valid():
            measure.refresh_from_db()
            with errors_onto(edit_form):
                saved = measure_services.update_measure(
                    measure, actor=user, **edit_form.service_fields()
                )
                say_saved(request, saved, _("The measure is saved."))
                return redirect("measure_detail", measure_id=measure.pk)
    return _measure_page(request, measure, works=works, edit_form=edit_form)


def _measure_page(
    request: AuthedRequest, measure: Any, *, works: bool, status: int = 200, **forms_: Any
) -> HttpResponse:
    """The measure's page; a refused form comes back bound, with what was typed and why."""
    user = _user(request)
    context = {
        "measure": selectors.with_source_links(user, [measure])[0],
        "lessons": selectors.visible_lessons_of(measure, user),
        "overdue": selectors.is_overdue(measure),
        "can_work": works,
        "can_review": measure.status == MeasureStatus.DONE
        and perms.can_review_measure(user, owner_id=measure.owner_id, meeting=measure.meeting),
        "edit_form": forms_.get("edit_form") or forms.MeasureEditForm(instance=measure),
        "complete_form": forms_.get("complete_form") or forms.CompleteForm(),
        "drop_form": forms_.get("drop_form") or forms.DropForm(),
        "review_form": forms_.get("review_form") or forms.ReviewForm(),
        "nav_area": "improvement",
    }
    return render(request, "improvement/measure_detail.html", context, status=status)


@login_required
@require_POST
def measure_action(request: AuthedRequest, measure_id: int, action: str) -> HttpResponse:
    """Start, complete, drop or review; a refusal shows the page again with the note as typed."""
    measure = selectors.get_measure_for_user(_user(request), measure_id)
    user = _user(request)
    calls: dict[str, tuple[Any, Callable[[Any], Any], str]] = {
        "start": (
            None,
            lambda d: measure_services.start_measure(measure, actor=user),
            _("The measure is under way."),
        ),
        "complete": (
            forms.CompleteForm,
            lambda d: measure_services.complete_measure(measure, actor=user, **d),
            _("The measure is marked done; it waits for its effectiveness review."),
        ),
        "drop": (
            forms.DropForm,
            lambda d: measure_services.drop_measure(measure, actor=user, **d),
            _("The measure is dropped."),
        ),
        "review": (
            forms.ReviewForm,
            lambda d: measure_services.review_measure(measure, actor=user, **d),
            _("The review of the measure is recorded."),
        ),
    }
    if action not in calls:
        raise Http404
    form_class, call, done = calls[action]
    if form_class is None:
        call({})
        messages.success(request, done)
        return redirect("measure_detail", measure_id=measure.pk)
    form = form_class(request.POST)
    if form.is_valid():
        with errors_onto(form):
            call(form.cleaned_data)
            messages.success(request, done)
            return redirect("measure_detail", measure_id=measure.pk)
    works = perms.can_work_on_measure(
        user,
        owner_id=measure.owner_id,
        created_by_id=measure.created_by_id,
        meeting=measure.meeting,
    )
    return _measure_page(request, measure, works=works, status=422, **{f"{action}_form": form})


@login_required
def process_proposals(request: AuthedRequest) -> HttpResponse:
    """Process changes proposed by measures, for the next process version (P9.2, P10.2)."""
    if not perms.can_see_proposals(_user(request)):
        raise Forbidden

    context = {
        "proposals": selectors.process_proposals(),
        "current": ProcessTemplate.objects.filter(is_current=True).first(),
        "nav_area": "improvement",
    }
    return render(request, "improvement/proposals.html", context)


# --- cases -----------------------------------------------------------------------


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    user = _user(request)
    q, tag = request.GET.get("q", "")[:200], request.GET.get("tag", "")[:40]
    kind = request.GET.get("kind", "") if request.GET.get("kind") in CaseKind.values else ""
    cases = selectors.search_cases(user, q=q, tag=tag, kind=kind)
    context = {
        **paginated(request, cases, 30),
        "q": q,
        "tag": tag,
        "kind": kind,
        "kinds": CaseKind.choices,
        "tags": selectors.all_tags(selectors.search_cases(user)),
        "waiting": CASE.pending_for(user),
        "mine": selectors.cases_visible_to(user)
        .filter(proposed_by=user)
        .exclude(status=CaseStatus.PUBLISHED),
        "can_write_external": perms.can_nominate_case(user, None),
        "nav_area": "improvement",
    }
    return render(request, "improvement/cases.html", context)


@login_required
def case_new(request: AuthedRequest) -> HttpResponse:
    meeting = _meeting_in_query(request)
    if not perms.can_nominate_case(_user(request), meeting):
        raise Forbidden
    initial = {"title": meeting.title} if meeting else {}
    form = forms.CaseForm(request.POST or None, external=meeting is None, initial=initial)
    saved = _submit(
        request,
        form,
        lambda data: case_services.nominate_case(actor=_user(request), meeting=meeting, **data),
        _("Case saved."),
        lambda case: redirect("case_detail", case_id=case.pk),
    )
    if saved is not None:
        return saved
    context = {"form": form, "meeting": meeting, "nav_area": "improvement"}
    return render(request, "improvement/case_form.html", context)


@login_required
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for_user(_user(request), case_id)
    user = _user(request)
    sessions = meetings_visible_to(user).filter(
        managed_by(user), kind__code__in=perms.SHARING_KINDS
    )
    context = {
        "case": case,
        "sharings": selectors.sharings_of(case, user),
        "is_proposer": case.proposed_by_id == user.pk,
        "can_decide": case.status == CaseStatus.SUBMITTED and CASE.can_decide(user, case),
        "sharing_form": forms.SharingForm(meetings=sessions),
        "template_form": forms.TemplateForm(external=case.meeting_id is None),
        # A best practice from elsewhere is a template too (P10.3), not only a meeting case.
        "can_use": case.status == CaseStatus.PUBLISHED and can_create_meeting(user),
        "nav_area": "improvement",
    }
    return render(request, "improvement/case_detail.html", context)


@login_required
@require_POST
def case_action(request: AuthedRequest, case_id: int, action: str) -> HttpResponse:
    case = selectors.get_case_for_user(_user(request), case_id)
    user = _user(request)
    note = str(request.POST.get("note", ""))[:2000]
    if action == "submit":
        case_services.submit_case(case, actor=user)
        messages.success(request, _("Sent for approval."))
    elif action in ("approve", "return"):
        case_services.decide_case(case, actor=user, approve=action == "approve", note=note)
        if action == "approve":
            messages.success(request, _("The case is approved and published in the library."))
        else:
            messages.success(request, _("The case is returned to its author."))
    elif action == "share":
        meeting = get_meeting_for_user(user, _int(request.POST.get("meeting")) or 0)
        case_services.link_sharing_session(case, actor=user, meeting=meeting)
        messages.success(request, _("The meeting is linked to the case as a sharing session."))
    elif action == "use":
        fields = cleaned(forms.TemplateForm(request.POST, external=case.meeting_id is None))
        meeting = case_services.start_meeting_from_case(case, actor=user, **fields)
        return redirect("meeting_detail", pk=meeting.pk)
    else:
        raise Http404
    return redirect("case_detail", case_id=case.pk)
