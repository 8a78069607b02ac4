"""The daily expiry reminder: the register's keepers are told N days before a qualification or
contract expires, once per document and number of days, never again on the following days."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from meetops.notifications.models import OutboxMessage
from meetops.partners import services
from meetops.partners.jobs import remind_expiring_documents
from meetops.partners.models import ExpiryNotice

pytestmark = pytest.mark.django_db

EVENT = "partners.document.expiring"


def _on(day: date) -> int:
    with mock.patch("meetops.partners.jobs.timezone.localdate", return_value=day):
        return remind_expiring_documents()


def _told() -> list[tuple[int | None, str]]:
    return sorted(
        OutboxMessage.objects.filter(event=EVENT, channel="inapp").values_list("user_id", "subject")
    )


def test_keepers_are_told_once_not_every_day(keeper, admin_user, organiser, supplier):
    today = timezone.localdate()
    services.add_qualification(
        supplier, actor=keeper, title="营业执照", expires_on=today + timedelta(days=20)
    )
    assert _on(today - timedelta(days=11)) == 0  # 31 days before: not yet
    assert _on(today) == 1
    told = _told()
    assert [user for user, _subject in told] == sorted([keeper.pk, admin_user.pk])
    assert all(supplier.name in subject for _user, subject in told)
    for later in range(1, 5):  # the following days: nothing more
        assert _on(today + timedelta(days=later)) == 0
    assert len(_told()) == 2
    assert ExpiryNotice.objects.count() == 1


def test_a_renewed_document_is_told_again(keeper, supplier, add_contract):
    today = timezone.localdate()
    contract = add_contract(supplier, today + timedelta(days=10))
    assert _on(today) == 1
    services.update_contract(contract, actor=keeper, ends_on=today + timedelta(days=375))
    assert _on(today) == 0
    assert _on(today + timedelta(days=350)) == 1
    assert ExpiryNotice.objects.filter(document_id=contract.pk).count() == 2


def test_each_number_of_days_is_told_once(settings, keeper, supplier, add_contract):
    settings.MEETOPS_PARTNER_EXPIRY_DAYS = [30, 7]
    today = timezone.localdate()
    add_contract(supplier, today + timedelta(days=30))
    assert _on(today) == 1
    assert _on(today + timedelta(days=1)) == 0
    assert _on(today + timedelta(days=23)) == 1  # 7 days before
    assert _on(today + timedelta(days=24)) == 0
    assert sorted(ExpiryNotice.objects.values_list("days_before", flat=True)) == [7, 30]


def test_a_document_found_late_is_told_for_the_nearest_number_only(
    settings, keeper, supplier, add_contract
):
    settings.MEETOPS_PARTNER_EXPIRY_DAYS = [30, 7]
    today = timezone.localdate()
    add_contract(supplier, today + timedelta(days=3))
    assert _on(today) == 1
    assert list(ExpiryNotice.objects.values_list("days_before", flat=True)) == [7]


def test_expired_documents_and_suppliers_no_longer_in_use_are_not_told(
    keeper, supplier, add_supplier, add_contract
):
    today = timezone.localdate()
    add_contract(supplier, today - timedelta(days=1))
    retired = add_supplier("停用公司")
    add_contract(retired, today + timedelta(days=5), number="HT-5")
    services.save_supplier(retired, actor=keeper, active=False)
    assert _on(today) == 0
    assert not OutboxMessage.objects.filter(event=EVENT).exists()


def test_the_job_is_scheduled_daily():
    from meetops.core.scheduler import JOBS

    assert JOBS["partners.expiry_reminders"].every_seconds == 86400
