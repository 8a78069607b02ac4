"""Keeping the register: suppliers, their contacts, qualification documents and contracts,
and who keeps it (P10.5). Every write is audited; only the register's keepers write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.core.filetypes import checked_type
from meetops.core.numbers import parse_number
from meetops.core.validation import date_problem, in_window, is_money, money_problem
from meetops.partners import errors
from meetops.partners.creditcode import normalise, problem_with
from meetops.partners.models import Contact, Contract, Kind, Manager, Qualification, Supplier
from meetops.partners.permissions import can_appoint_managers, can_manage_register
from meetops.people.models import User

MAX_FILE_BYTES = 20 * 1024 * 1024
SUPPLIER_FIELDS = ["name", "kind", "credit_code", "address", "notes", "active"]
SUPPLIER_LIMITS = {"name": 200, "address": 300, "notes": 5000}
CONTACT_LIMITS = {"name": 150, "title": 100, "phone": 40, "email": 254}
QUALIFICATION_FIELDS = ["title", "expires_on"]
CONTRACT_FIELDS = ["number", "title", "starts_on", "ends_on", "amount"]


def _keeper(actor: User) -> None:
    if not can_manage_register(actor):
        raise PermissionDenied()


def _texts(fields: dict[str, Any], limits: dict[str, int], problems: dict[str, str]) -> None:
    for name, limit in limits.items():
        if name in fields:
            value = str(fields[name] or "").strip()
            if len(value) > limit:
                problems[name] = errors.too_long(limit)
            fields[name] = value


def _clean_supplier(fields: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, str] = {}
    _texts(fields, SUPPLIER_LIMITS, problems)
    if "name" in fields and not fields["name"]:
        problems["name"] = _("This is required.")
    if "kind" in fields and fields["kind"] not in Kind.values:
        problems["kind"] = _("Choose one of the options.")
    if "active" in fields:
        fields["active"] = bool(fields["active"])
    if problems:
        raise errors.invalid(problems)
    if fields.get("credit_code"):
        code = normalise(fields["credit_code"])
        problem = problem_with(code)
        if problem:
            raise errors.credit_code(problem)
        fields["credit_code"] = code
    elif "credit_code" in fields:
        fields["credit_code"] = ""
    return fields


def _code_free(code: str, supplier_pk: int | None) -> None:
    others = Supplier.objects.filter(credit_code=code)
    if supplier_pk is not None:
        others = others.exclude(pk=supplier_pk)
    if code and others.exists():
        raise errors.credit_code_taken()


def save_supplier(
    supplier: Supplier | None,
    *,
    actor: User,
    contacts: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Supplier:
    """Add (supplier=None) or change a supplier, and replace its contacts when `contacts` is
    given: all of it or nothing. Preconditions: the actor keeps the register; the name is
    given; a credit code, if any, passes GB 32100-2015 and is not in the register; each
    contact has a name and a phone or an e-mail."""
    _keeper(actor)
    unknown = set(fields) - set(SUPPLIER_FIELDS)
    if unknown:
        raise errors.invalid({name: _("Unknown field.") for name in sorted(unknown)})
    fields = _clean_supplier(fields if supplier else {"name": "", **fields})
    if contacts is not None:
        # Refused before anything is written, so a bad contact leaves no supplier behind.
        contacts = [_clean_contact(dict(c)) for c in contacts]
    with transaction.atomic():
        saved = _write_supplier(supplier, fields, actor)
        if contacts is not None:
            set_contacts(saved, contacts=contacts, actor=actor)
    return saved


def _write_supplier(supplier: Supplier | None, fields: dict[str, Any], actor: User) -> Supplier:
    try:
        with transaction.atomic():
            if supplier is None:
                _code_free(fields.get("credit_code", ""), None)
                supplier = Supplier.objects.create(created_by=actor, **fields)
                audit.record(
                    "partners.supplier.created",
                    supplier,
                    actor=actor,
                    changes=audit.diff({}, audit.snapshot(supplier, SUPPLIER_FIELDS)),
                    new_stream=True,
                )
                return supplier
            supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
            before = audit.snapshot(supplier, SUPPLIER_FIELDS)
            for name, value in fields.items():
                setattr(supplier, name, value)
            changes = audit.diff(before, audit.snapshot(supplier, SUPPLIER_FIELDS))
            if "credit_code" in changes:
                _code_free(supplier.credit_code, supplier.pk)
            if changes:
                supplier.save(update_fields=[*changes, "updated_at"])
                audit.record("partners.supplier.updated", supplier, actor=actor, changes=changes)
            audit.note_outcome(supplier, changes)
    except IntegrityError as exc:  # two keepers entered the same code at once
        raise errors.credit_code_taken() from exc
    return supplier


def _clean_contact(fields: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, str] = {}
    fields = {name: fields.get(name, "") for name in CONTACT_LIMITS}
    _texts(fields, CONTACT_LIMITS, problems)
    if not fields["name"]:
        problems["name"] = _("This is required.")
    if fields["email"] and "email" not in problems:
        try:
            validate_email(fields["email"])
        except DjangoValidationError:  # said in our words, by field
            problems["email"] = _("Enter a valid e-mail address.")
    if not (fields["phone"] or fields["email"]) and "phone" not in problems:
        problems["phone"] = _("Give a phone number or an e-mail address.")
    if problems:
        raise errors.invalid(problems, model=Contact)
    return fields


def add_contact(supplier: Supplier, *, actor: User, **fields: Any) -> Contact:
    """Add a person to call at the supplier (a name and a phone or an e-mail)."""
    _keeper(actor)
    fields = _clean_contact(fields)
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
        contact = Contact.objects.create(supplier=supplier, **fields)
        audit.record(
            "partners.contact.added",
            supplier,
            actor=actor,
            data={"contact": contact.pk, **fields},
        )
    return contact


def remove_contact(contact: Contact, *, actor: User) -> None:
    _keeper(actor)
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=contact.supplier_id)
        audit.record(
            "partners.contact.removed",
            supplier,
            actor=actor,
            data={"contact": contact.pk, "name": contact.name},
        )
        Contact.objects.filter(pk=contact.pk).delete()


def set_contacts(supplier: Supplier, *, contacts: list[dict[str, Any]], actor: User) -> None:
    """Replace the supplier's contacts with these (the API's whole list)."""
    _keeper(actor)
    cleaned = [_clean_contact(dict(c)) for c in contacts]
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
        before = list(supplier.contacts.order_by("pk").values(*CONTACT_LIMITS))
        if before == cleaned:
            return
        supplier.contacts.all().delete()
        Contact.objects.bulk_create(Contact(supplier=supplier, **c) for c in cleaned)
        audit.record(
            "partners.contacts.replaced",
            supplier,
            actor=actor,
            changes={"contacts": [before, cleaned]},
        )


def _file_type(upload: UploadedFile | None) -> str:
    """The checked media type of an acceptable file (by content, core.filetypes), else refused."""
    if upload is None:
        return ""
    return checked_type(upload, limit=MAX_FILE_BYTES, refused=errors.bad_file)


def _date(value: Any, name: str, problems: dict[str, str]) -> None:
    if not isinstance(value, date):
        problems[name] = _("Give a date.")
    elif not in_window(value):
        problems[name] = date_problem()


def _amount(value: Any, problems: dict[str, str]) -> Decimal | None:
    amount = parse_number(value)
    if amount is None or amount < 0 or not is_money(amount):
        problems["amount"] = money_problem()
        return None
    return amount.quantize(Decimal("0.01"))


def _snapshot(document: Qualification | Contract, fields: list[str]) -> dict[str, Any]:
    """The audited fields, and the stored file by name (a file object is no audit value)."""
    return {**audit.snapshot(document, fields), "file": document.file.name or ""}


def _save_file(document: Qualification | Contract, upload: UploadedFile | None, kind: str) -> None:
    if upload is not None:
        document.file_type = kind
        document.file.save(upload.name or "document", upload, save=False)


def add_qualification(
    supplier: Supplier,
    *,
    title: str,
    expires_on: date,
    actor: User,
    file: UploadedFile | None = None,
) -> Qualification:
    """Record a qualification document and when it expires (the reminder job reads the date)."""
    _keeper(actor)
    fields = {"title": title}
    problems: dict[str, str] = {}
    _texts(fields, {"title": 200}, problems)
    if not fields["title"]:
        problems["title"] = _("This is required.")
    _date(expires_on, "expires_on", problems)
    if problems:
        raise errors.invalid(problems, model=Qualification)
    kind = _file_type(file)
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
        document = Qualification(
            supplier=supplier, title=fields["title"], expires_on=expires_on, added_by=actor
        )
        _save_file(document, file, kind)
        document.save()
        audit.record(
            "partners.qualification.added",
            supplier,
            actor=actor,
            data={
                "qualification": document.pk,
                **_snapshot(document, QUALIFICATION_FIELDS),
            },
        )
    return document


def update_qualification(
    document: Qualification, *, actor: User, file: UploadedFile | None = None, **fields: Any
) -> Qualification:
    """Change a qualification's title or expiry (a renewed licence), or replace its file."""
    _keeper(actor)
    fields = {k: v for k, v in fields.items() if k in ("title", "expires_on") and v is not None}
    problems: dict[str, str] = {}
    _texts(fields, {"title": 200}, problems)
    if "title" in fields and not fields["title"]:
        problems["title"] = _("This is required.")
    if "expires_on" in fields:
        _date(fields["expires_on"], "expires_on", problems)
    if problems:
        raise errors.invalid(problems, model=Qualification)
    kind = _file_type(file)
    with transaction.atomic():
        Supplier.objects.select_for_update().get(pk=document.supplier_id)
        document = Qualification.objects.get(pk=document.pk)
        before = _snapshot(document, QUALIFICATION_FIELDS)
        for name, value in fields.items():
            setattr(document, name, value)
        _save_file(document, file, kind)
        changes = audit.diff(before, _snapshot(document, QUALIFICATION_FIELDS))
        if changes:
            document.save(update_fields=[*changes, *(["file_type"] if file else [])])
            audit.record(
                "partners.qualification.updated",
                document.supplier,
                actor=actor,
                changes=changes,
                data={"qualification": document.pk},
            )
        audit.note_outcome(document, changes)
    return document


def _clean_contract(fields: dict[str, Any], current: Contract | None) -> dict[str, Any]:
    problems: dict[str, str] = {}
    _texts(fields, {"number": 100, "title": 200}, problems)
    if "number" in fields and not fields["number"]:
        problems["number"] = _("This is required.")
    for name in ("starts_on", "ends_on"):
        if name in fields:
            _date(fields[name], name, problems)
    if "amount" in fields:
        fields["amount"] = _amount(fields["amount"], problems)
    starts = fields.get("starts_on", current.starts_on if current else None)
    ends = fields.get("ends_on", current.ends_on if current else None)
    if not problems and starts and ends and ends < starts:
        problems["ends_on"] = _("The term cannot end before it starts.")
    if problems:
        raise errors.invalid(problems, model=Contract)
    return fields


def _number_free(supplier: Supplier, number: str, contract_pk: int | None) -> None:
    same = supplier.contracts.filter(number=number)
    if contract_pk is not None:
        same = same.exclude(pk=contract_pk)
    if same.exists():
        raise errors.contract_number_taken()


def add_contract(
    supplier: Supplier,
    *,
    number: str,
    starts_on: date,
    ends_on: date,
    amount: Decimal | str,
    actor: User,
    title: str = "",
    file: UploadedFile | None = None,
) -> Contract:
    """Record a contract: its number (once per supplier), term, amount in yuan and file."""
    _keeper(actor)
    fields = _clean_contract(
        {
            "number": number,
            "title": title,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "amount": amount,
        },
        None,
    )
    kind = _file_type(file)
    try:
        with transaction.atomic():
            supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
            _number_free(supplier, fields["number"], None)
            contract = Contract(supplier=supplier, added_by=actor, **fields)
            _save_file(contract, file, kind)
            contract.save()
            audit.record(
                "partners.contract.added",
                supplier,
                actor=actor,
                data={"contract": contract.pk, **_snapshot(contract, CONTRACT_FIELDS)},
            )
    except IntegrityError as exc:
        raise errors.contract_number_taken() from exc
    return contract


def update_contract(
    contract: Contract, *, actor: User, file: UploadedFile | None = None, **fields: Any
) -> Contract:
    """Change a contract's number, term, amount or subject (an extension), or replace its file."""
    _keeper(actor)
    allowed = ("number", "title", "starts_on", "ends_on", "amount")
    fields = {k: v for k, v in fields.items() if k in allowed and v is not None}
    kind = _file_type(file)
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=contract.supplier_id)
        contract = Contract.objects.get(pk=contract.pk)
        fields = _clean_contract(fields, contract)
        if "number" in fields:
            _number_free(supplier, fields["number"], contract.pk)
        before = _snapshot(contract, CONTRACT_FIELDS)
        for name, value in fields.items():
            setattr(contract, name, value)
        _save_file(contract, file, kind)
        changes = audit.diff(before, _snapshot(contract, CONTRACT_FIELDS))
        if changes:
            contract.save(update_fields=[*changes, *(["file_type"] if file else [])])
            audit.record(
                "partners.contract.updated",
                supplier,
                actor=actor,
                changes=changes,
                data={"contract": contract.pk},
            )
        audit.note_outcome(contract, changes)
    return contract


def appoint_manager(user: User, *, actor: User) -> Manager:
    """Let `user` keep the register. Preconditions: the actor is a system administrator."""
    if not can_appoint_managers(actor):
        raise PermissionDenied()
    with transaction.atomic():
        manager, created = Manager.objects.get_or_create(
            user=user, defaults={"appointed_by": actor}
        )
        if created:
            audit.record(
                "partners.manager.appointed",
                user,
                actor=actor,
                data={"user": user.pk},
            )
    return manager


def dismiss_manager(user: User, *, actor: User) -> None:
    if not can_appoint_managers(actor):
        raise PermissionDenied()
    with transaction.atomic():
        if Manager.objects.filter(user=user).delete()[0]:
            audit.record("partners.manager.dismissed", user, actor=actor, data={"user": user.pk})
