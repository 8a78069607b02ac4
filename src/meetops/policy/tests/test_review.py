"""P9.8: the process in force is reviewed periodically; overdue reviews remind the administrators."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.notifications.models import OutboxMessage
from meetops.policy.review import record_review, remind_overdue_review, review_status
from meetops.policy.services import current_template

pytestmark = pytest.mark.django_db


def test_a_review_is_due_a_year_after_the_last_look_and_resets_when_recorded(
    admin_user, organiser, settings
):
    settings.MEETOPS_PROCESS_REVIEW_MONTHS = 12
    template = current_template()
    status = review_status()
    assert status.due_on == timezone.localdate(status.last) + relativedelta(months=12)
    assert status.last == template.published_at and not status.overdue
    with pytest.raises(PermissionDenied):
        record_review(template, actor=organiser, outcome="unchanged", note="看过了")
    with pytest.raises(ValidationFailed) as refused:
        record_review(template, actor=admin_user, outcome="unchanged", note="  ")
    assert refused.value.details["fields"] == ["note"]

    later = timezone.now() + timedelta(days=400)
    with time_machine.travel(later, tick=False):
        assert review_status().overdue
        review = record_review(
            template, actor=admin_user, outcome="unchanged", note="对照今年的会议评估结果逐条核对"
        )
        status = review_status()
        assert not status.overdue and status.latest == review
        assert status.due_on.year == timezone.localdate().year + 1
    entry = AuditEntry.objects.get(action="policy.template.reviewed")
    assert entry.data == {"finding": "unchanged", "note": "对照今年的会议评估结果逐条核对"}


def test_the_worker_reminds_administrators_weekly_while_overdue(admin_user, make_user, settings):
    settings.MEETOPS_PROCESS_REVIEW_MONTHS = 12
    make_user("member2")

    def told() -> int:
        return OutboxMessage.objects.filter(event="policy.review_due").count()

    assert remind_overdue_review() == 0 and told() == 0  # not due yet
    start = timezone.now() + timedelta(days=400)
    with time_machine.travel(start, tick=False):
        remind_overdue_review()
        first = told()
        assert first > 0
        remind_overdue_review()
        assert told() == first  # once a week
    with time_machine.travel(start + timedelta(days=7), tick=False):
        remind_overdue_review()
        assert told() == 2 * first
        record_review(
            current_template(), actor=admin_user, outcome="revise", note="需要精简筹备环节"
        )
    with time_machine.travel(start + timedelta(days=14), tick=False):
        assert remind_overdue_review() == 0 and told() == 2 * first  # reviewed
    recipients = OutboxMessage.objects.filter(event="policy.review_due").values_list("user_id")
    assert set(recipients) == {(admin_user.pk,)}


def test_administrators_record_the_review_on_the_process_page(client, admin_user, member):
    url = reverse("process_version", args=[current_template().version])
    client.force_login(member)
    page = client.get(url).content.decode()
    assert 'id="review"' in page and "process_review" not in page
    assert client.post(url + "review/", {"outcome": "unchanged", "note": "x"}).status_code == 403

    client.force_login(admin_user)
    response = client.post(
        url + "review/", {"outcome": "revise", "note": "会后评估发现通知环节过长"}, follow=True
    )
    page = response.content.decode()
    assert "会后评估发现通知环节过长" in page and "需要修订新版本" in page
