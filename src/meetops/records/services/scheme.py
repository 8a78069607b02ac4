"""The classification scheme, department codes and numbering: 案卷号 and 档号 taken under row locks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.meetings.models import Meeting
from meetops.people.models import Department, User
from meetops.records import naming
from meetops.records.models import (
    Category,
    DepartmentCode,
    Document,
    Dossier,
    NumberCounter,
    RetentionRule,
    Scheme,
)
from meetops.records.permissions import is_archivist


def scheme() -> Scheme:
    return Scheme.objects.get_or_create(
        pk=1,
        defaults={
            "fonds_code": settings.MEETOPS_ARCHIVE_FONDS_CODE,
            "class_code": settings.MEETOPS_ARCHIVE_CLASS_CODE,
        },
    )[0]


def _year_of(meeting: Meeting) -> int:
    return timezone.localtime(meeting.start).year


def _next_number(meeting: Meeting, pattern: str) -> str:
    """The next archive number for the meeting's year and kind, taken under a row lock."""
    year, kind = _year_of(meeting), meeting.kind.code
    key = naming.number_prefix(pattern, year=year, kind=kind)[:100]
    NumberCounter.objects.get_or_create(key=key)
    counter = NumberCounter.objects.select_for_update().get(key=key)
    while True:  # a number someone typed by hand (or an old rule) may already be taken
        counter.last += 1
        number = naming.archive_number(pattern, year=year, kind=kind, seq=counter.last)
        if not Dossier.objects.filter(archive_number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number


def _department_code(meeting: Meeting) -> str:
    if meeting.department_id is None:
        return ""
    found = DepartmentCode.objects.filter(department_id=meeting.department_id).first()
    return found.code if found else ""


def _next_item_number(dossier: Dossier, retention: RetentionRule) -> tuple[str, int]:
    """The next 档号 of a 件 in its lowest class (year × retention × department), under a lock.

    The counter row is locked while the number is taken; the unique constraint on
    `Document.archive_number` is the last word should two databases' clocks ever disagree.
    """
    rules = scheme()
    parts: dict[str, Any] = {
        "fonds": rules.fonds_code,
        "record_class": rules.class_code,
        "year": dossier.year,
        "retention": retention.code_in_number,
        "org": _department_code(dossier.meeting),
        "kind": dossier.meeting.kind.code,
    }
    key = "item:" + naming.item_prefix(rules.item_pattern, **parts)[:95]
    NumberCounter.objects.get_or_create(key=key)
    counter = NumberCounter.objects.select_for_update().get(key=key)
    while True:  # a number from an older rule may already be taken
        counter.last += 1
        number = naming.item_number(rules.item_pattern, seq=counter.last, **parts)
        if not Document.objects.filter(archive_number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number, counter.last


def save_category(
    category: Category | None,
    *,
    actor: User,
    fields: dict[str, Any],
    required_for: Iterable[Any] = (),
) -> Category:
    """Add or change a category of the classification scheme (P7.1). Archivists and admins."""
    if not is_archivist(actor):
        raise PermissionDenied()
    if not str(fields.get("code", "")).strip() or not str(fields.get("name_zh_hans", "")).strip():
        raise ValidationFailed(_("Give the code and the name."), "name_required")
    with transaction.atomic():
        before: dict[str, Any] = {}
        if category is None:
            category = Category.objects.create(**fields)
        else:
            category = Category.objects.select_for_update().get(pk=category.pk)
            before = audit.snapshot(category, list(fields))
            for name, value in fields.items():
                setattr(category, name, value)
            category.save(update_fields=list(fields))
        category.required_for.set(list(required_for))
        after = audit.snapshot(category, list(fields))
        audit.record(
            "records.category.saved",
            category,
            actor=actor,
            changes=audit.diff(before, after),
            data={"required_for": sorted(k.code for k in category.required_for.all())},
        )
    return category


SCHEME_FIELDS = (
    "file_name_pattern",
    "number_pattern",
    "item_pattern",
    "fonds_code",
    "fonds_name",
    "class_code",
)


def save_scheme(
    *,
    actor: User,
    file_name_pattern: str,
    number_pattern: str,
    item_pattern: str | None = None,
    fonds_code: str | None = None,
    fonds_name: str | None = None,
    class_code: str | None = None,
) -> Scheme:
    """Change the naming rules and the 档号's parts. New names and numbers only: archived files
    and documents keep theirs. A part left out (None) stays as it is."""
    if not is_archivist(actor):
        raise PermissionDenied()
    values = {
        "file_name_pattern": naming.check_pattern(file_name_pattern.strip(), naming.FILE_FIELDS),
        "number_pattern": naming.check_pattern(number_pattern.strip(), naming.NUMBER_FIELDS),
    }
    if item_pattern is not None:
        values["item_pattern"] = naming.check_item_pattern(item_pattern.strip())
    for name, value in (
        ("fonds_code", fonds_code),
        ("fonds_name", fonds_name),
        ("class_code", class_code),
    ):
        if value is not None:
            values[name] = value.strip()
    if values.get("class_code") == "":
        raise ValidationFailed(
            _("Give the record class code, e.g. WS."), "class_code_required", field="class_code"
        )
    with transaction.atomic():
        current = Scheme.objects.select_for_update().get(pk=scheme().pk)
        before = audit.snapshot(current, list(SCHEME_FIELDS))
        for name, value in values.items():
            setattr(current, name, value)
        current.updated_by = actor
        current.save()
        audit.record(
            "records.scheme.saved",
            current,
            actor=actor,
            changes=audit.diff(before, audit.snapshot(current, list(SCHEME_FIELDS))),
        )
    return current


def save_department_code(
    department: Department, *, actor: User, code: str
) -> DepartmentCode | None:
    """Set the department's 机构（问题）代码 in new 档号 (e.g. 办公室 = BGS); empty removes it."""
    if not is_archivist(actor):
        raise PermissionDenied()
    code = code.strip().upper()
    if code and not re.fullmatch(r"[A-Z0-9]{1,10}", code):
        raise ValidationFailed(
            _("A department code has up to 10 capital letters or digits."), "invalid_code"
        )
    with transaction.atomic():
        found = DepartmentCode.objects.select_for_update().filter(department=department).first()
        before = found.code if found else ""
        if not code:
            if found:
                found.delete()
            found = None
        elif found is None:
            found = DepartmentCode.objects.create(department=department, code=code)
        else:
            found.code = code
            found.save(update_fields=["code"])
        audit.record(
            "records.department_code.saved",
            department,
            actor=actor,
            changes={"code": [before, code]} if before != code else {},
        )
    return found
