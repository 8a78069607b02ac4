"""Keeping the register: who may, what is refused by field, and the audit entry of every write."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.partners import services
from meetops.partners.models import Contract, Qualification, Supplier
from meetops.partners.permissions import can_manage_register, can_read_register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_who_keeps_and_who_reads_the_register(keeper, organiser, member, admin_user, leader):
    assert [can_manage_register(u) for u in (keeper, admin_user, organiser, leader, member)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert [can_read_register(u) for u in (keeper, admin_user, organiser, leader, member)] == [
        True,
        True,
        True,
        True,
        False,
    ]


def test_an_organiser_cannot_add_a_supplier(organiser):
    with pytest.raises(PermissionDenied):
        services.save_supplier(None, actor=organiser, name="某公司")
    assert (
        not Supplier.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="partners.").exists()
    )


def test_every_write_leaves_an_audit_entry(keeper, supplier, add_contract):
    services.save_supplier(supplier, actor=keeper, address="南京市")
    services.add_contact(supplier, actor=keeper, name="刘经理", phone="138 0000 1234")
    services.add_qualification(
        supplier, actor=keeper, title="营业执照", expires_on=date(2030, 1, 1)
    )
    contract = add_contract(supplier, date(2030, 1, 1))
    services.update_contract(contract, actor=keeper, amount="2,000")
    actions = list(
        AuditEntry.objects.filter(action__startswith="partners.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "partners.manager.appointed",
        "partners.supplier.created",
        "partners.supplier.updated",
        "partners.contact.added",
        "partners.qualification.added",
        "partners.contract.added",
        "partners.contract.updated",
    ]
    assert AuditEntry.objects.get(action="partners.contract.updated").changes == {
        "amount": ["1000.00", "2000.00"]
    }


def test_contract_amounts_are_read_as_people_write_them(supplier, add_contract):
    assert add_contract(supplier, date(2030, 1, 1), amount="１２，０００.５").amount == Decimal(
        "12000.50"
    )
    with pytest.raises(ValidationFailed) as refused:
        add_contract(supplier, date(2030, 1, 1), number="HT-2", amount="1,5")
    assert refused.value.details["fields"] == ["amount"]


def test_a_term_cannot_end_before_it_starts(supplier, add_contract):
    with pytest.raises(ValidationFailed) as refused:
        add_contract(supplier, date(2030, 1, 1), starts_on=date(2030, 2, 1))
    assert refused.value.details["fields"] == ["ends_on"]
    assert not Contract.objects.exists()


def test_a_contract_number_is_once_per_supplier(supplier, add_supplier, add_contract):
    add_contract(supplier, date(2030, 1, 1), number="HT-9")
    with pytest.raises(ValidationFailed) as refused:
        add_contract(supplier, date(2031, 1, 1), number="HT-9")
    assert refused.value.code == "contract_number_taken"
    other = add_supplier("另一家公司")
    assert add_contract(other, date(2031, 1, 1), number="HT-9").number == "HT-9"


def test_a_contact_needs_a_way_to_reach_them(keeper, supplier):
    with pytest.raises(ValidationFailed) as refused:
        services.add_contact(supplier, actor=keeper, name="刘经理")
    assert refused.value.details["fields"] == ["phone"]
    with pytest.raises(ValidationFailed) as refused:
        services.add_contact(supplier, actor=keeper, name="刘经理", email="not-an-address")
    assert refused.value.details["fields"] == ["email"]


def test_qualification_files_are_checked_by_content(keeper, supplier):
    fake = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationFailed) as refused:
        services.add_qualification(
            supplier, actor=keeper, title="营业执照", expires_on=date(2030, 1, 1), file=fake
        )
    assert refused.value.code == "bad_file"
    document = services.add_qualification(
        supplier,
        actor=keeper,
        title="营业执照",
        expires_on=date(2030, 1, 1),
        file=SimpleUploadedFile("licence.pdf", PDF),
    )
    assert document.file_type == "application/pdf"
    assert Qualification.objects.count() == 1


def test_a_renewed_qualification_no_longer_marks_the_supplier(keeper, supplier):
    from meetops.partners.selectors import get_supplier_for_user

    past = timezone.localdate() - timedelta(days=3)
    document = services.add_qualification(supplier, actor=keeper, title="营业执照", expires_on=past)
    assert get_supplier_for_user(keeper, supplier.pk).qualification_expired
    services.update_qualification(
        document, actor=keeper, expires_on=timezone.localdate() + timedelta(days=365)
    )
    assert not get_supplier_for_user(keeper, supplier.pk).qualification_expired


def test_only_a_system_administrator_appoints_keepers(keeper, organiser, admin_user):
    with pytest.raises(PermissionDenied):
        services.appoint_manager(organiser, actor=keeper)
    services.appoint_manager(organiser, actor=admin_user)
    organiser = type(organiser).objects.get(pk=organiser.pk)
    assert can_manage_register(organiser)
    services.dismiss_manager(organiser, actor=admin_user)
    assert not can_manage_register(type(organiser).objects.get(pk=organiser.pk))
