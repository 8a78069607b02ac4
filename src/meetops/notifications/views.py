"""Notification pages: the bell, my notifications, my channels, the delivery log, robots."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetops.core.web import AuthedRequest, errors_onto, say_saved
from meetops.notifications import events, services, unconfirmed
from meetops.notifications.forms import RobotForm, WebhookForm
from meetops.notifications.models import PERSONAL_CHANNELS, ChannelPreference, Status
from meetops.notifications.selectors import (
    deliveries_for,
    get_delivery_for_user,
    get_notification_for_user,
    get_robot_for_user,
    get_webhook_for_user,
    notifications_of,
    robot_endpoints_for,
    unread_count,
    webhook_endpoints_for,
)


@login_required
def bell(request: AuthedRequest) -> HttpResponse:
    """The unread count, polled by htmx from the top bar."""
    return render(request, "notifications/_bell_count.html", {"unread": unread_count(request.user)})


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(notifications_of(request.user).select_related("meeting"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = services.mark_read(
        get_notification_for_user(request.user, pk), actor=request.user
    )
    if request.POST.get("go") and notification.url.startswith("/"):
        return redirect(notification.url)
    if request.htmx:
        response = render(request, "notifications/_item.html", {"n": notification})
        response["HX-Trigger"] = "notifications-read"  # the bell refreshes its count now
        return response
    return redirect("notification_list")


@login_required
@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    return redirect("notification_list")


@login_required
def channel_preferences(request: AuthedRequest) -> HttpResponse:
    current = dict(
        ChannelPreference.objects.filter(user=request.user).values_list("event", "channels")
    )
    if request.method == "POST":
        choices = {code: request.POST.getlist(f"ch-{code}") for code in events.EVENTS}
        services.set_channel_preferences(actor=request.user, choices=choices)
        messages.success(request, _("Your channels were saved."))
        return redirect("channel_preferences")
    rows = [
        {"event": e, "chosen": current.get(code, list(e.default_channels))}
        for code, e in events.EVENTS.items()
        if code != events.TEST.code
    ]
    return render(
        request, "notifications/channels.html", {"rows": rows, "channels": PERSONAL_CHANNELS}
    )


@login_required
def delivery_log(request: AuthedRequest) -> HttpResponse:
    meeting_id = request.GET.get("meeting") or None
    qs = deliveries_for(request.user, meeting_id=_meeting_id(meeting_id))
    status = request.GET.get("status")
    if status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.prefetch_related("attempts_log"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page": page,
            "statuses": Status.choices,
            "status": status,
            "meeting_id": meeting_id,
            "unconfirmed": qs.filter(status=Status.UNCONFIRMED).count()
            if status == Status.UNCONFIRMED
            else 0,
        },
    )


def _meeting_id(value: str | None) -> int | None:
    """`?meeting=`: a number, or nothing (all meetings); anything else names no meeting."""
    if value is None:
        return None
    if not value.isdigit():
        raise Http404
    return int(value)


def _back(request: AuthedRequest) -> HttpResponse:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("delivery_log")


@login_required
@require_POST
def delivery_resend(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Send again" on an unconfirmed message: same row, same Message-ID."""
    message = get_delivery_for_user(request.user, pk)
    unconfirmed.resend_message(message, actor=request.user)
    messages.success(request, _("The message is queued to be sent again."))
    return _back(request)


@login_required
@require_POST
def delivery_resend_all(request: AuthedRequest) -> HttpResponse:
    """ "Send all unconfirmed again", within what the user may see (of one meeting if given)."""
    meeting_id = request.POST.get("meeting") or None
    qs = deliveries_for(request.user, meeting_id=_meeting_id(meeting_id))
    count = unconfirmed.resend_all(qs, actor=request.user)
    messages.success(
        request, _("%(count)d messages are queued to be sent again.") % {"count": count}
    )
    return _back(request)


@login_required
@require_POST
def delivery_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    message = get_delivery_for_user(request.user, pk)
    services.retry_message(message, actor=request.user)
    messages.success(request, _("The message is queued again."))
    return _back(request)


@login_required
def robot_list(request: AuthedRequest) -> HttpResponse:
    robots = robot_endpoints_for(request.user)
    return render(request, "notifications/robots.html", {"robots": robots})


@login_required
def robot_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    robot = get_robot_for_user(request.user, pk) if pk else None
    robot_endpoints_for(request.user)
    # The form gets its own copy: it writes into its instance while validating.
    form = RobotForm(
        request.POST or None,
        instance=get_robot_for_user(request.user, pk) if pk else None,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "secret"}
        if robot and not data.get("url"):
            data.pop("url")
        with errors_onto(form):
            saved = services.save_robot_endpoint(
                robot, actor=request.user, secret=form.cleaned_data["secret"], **data
            )
            say_saved(request, saved, _("The robot was saved."))
            return redirect("robot_list")
    return render(request, "notifications/robot_form.html", {"form": form, "robot": robot})


@login_required
@require_POST
def robot_test(request: AuthedRequest, pk: int) -> HttpResponse:
    robot = get_robot_for_user(request.user, pk)
    services.send_test_message(robot, actor=request.user)
    messages.success(
        request, _("A test message is queued; its result appears in the delivery log.")
    )
    return redirect("robot_list")


def _load_webhook(request: AuthedRequest, pk: int | None) -> Any:
    """The webhook (or None for a new one), for administrators: 404 / 403 otherwise."""
    webhook_endpoints_for(request.user)
    return get_webhook_for_user(request.user, pk) if pk else None


def _show_secret(request: AuthedRequest, hook: Any, secret: str) -> HttpResponse:
    """The secret in this response only: never in a redirect's flash cookie, never again."""
    response = render(
        request, "notifications/webhook_secret.html", {"hook": hook, "secret": secret}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def webhook_list(request: AuthedRequest) -> HttpResponse:
    hooks = webhook_endpoints_for(request.user)
    return render(request, "notifications/webhooks.html", {"hooks": hooks})


@login_required
def webhook_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    hook = _load_webhook(request, pk)
    form = WebhookForm(request.POST or None, instance=_load_webhook(request, pk) if pk else None)
    if request.method == "POST" and form.is_valid():
        with errors_onto(form):
            hook, secret = services.save_webhook_endpoint(
                hook, actor=request.user, **form.cleaned_data
            )
            if secret:
                return _show_secret(request, hook, secret)
            say_saved(request, hook, _("The webhook was saved."))
            return redirect("webhook_list")
    return render(request, "notifications/webhook_form.html", {"form": form, "hook": hook})


@login_required
@require_POST
def webhook_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """Enable, disable, test-send or replace the secret of one webhook."""
    if action not in ("enable", "disable", "test", "rotate"):
        raise Http404
    hook = _load_webhook(request, pk)
    if action == "rotate":
        secret = services.rotate_webhook_secret(hook, actor=request.user)
        return _show_secret(request, hook, secret)
    if action == "test":
        services.send_test_webhook(hook, actor=request.user)
        messages.success(
            request, _("A test message is queued; its result appears in the delivery log.")
        )
    else:
        services.save_webhook_endpoint(hook, actor=request.user, enabled=action == "enable")
    return redirect("webhook_list")
