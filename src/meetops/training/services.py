"""Writes of training: needs, courses and their materials, training meetings held as a course,
external training records and their verification (P9.4). Every write is audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.core.filetypes import checked_type
from meetops.core.validation import choice_problem, date_problem, in_window, required_problem
from meetops.meetings.models import Meeting
from meetops.people.models import User
from meetops.training import errors, notify
from meetops.training.models import (
    Course,
    CourseMaterial,
    Duty,
    ExternalTraining,
    RecordStatus,
    TrainingNeed,
    TrainingSession,
)
from meetops.training.permissions import can_enter_external_for, can_manage_training
from meetops.training.selectors import TRAINING_KIND

MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024
CERTIFICATE_TYPES = ("pdf", "png", "jpg", "jpeg")
MAX_MATERIAL_BYTES = 50 * 1024 * 1024
MATERIAL_TYPES = (
    "pdf", "docx", "pptx", "xlsx", "doc", "ppt", "xls", "odt", "odp", "ods", "png", "jpg",
    "jpeg", "txt",
)  # fmt: skip
TEXT_LIMITS = {"title": 200, "issuer": 200, "description": 5000, "verification_note": 2000}
NEED_FIELDS = [
    "duty",
    "name_zh_hans",
    "name_zh_hant",
    "name_en",
    "description",
    "refresher_months",
    "active",
    "order",
]
COURSE_FIELDS = ["title", "description", "hours", "active"]


def _manager(actor: User) -> None:
    if not can_manage_training(actor):
        raise PermissionDenied()


def _texts(values: dict[str, Any], problems: dict[str, str]) -> None:
    for key, limit in TEXT_LIMITS.items():
        if key in values:
            values[key] = str(values[key] or "").strip()
            if len(values[key]) > limit:
                problems[key] = errors.too_long(limit)


def _required_hours(value: Any) -> Decimal:
    hours = _hours(value, required=True)
    if hours is None:  # _hours refused it already
        raise errors.invalid({"hours": required_problem()})
    return hours


def _hours(value: Any, *, required: bool) -> Decimal | None:
    """Hours between 0.5 and 1000 in steps of a tenth; None when not given (and not required)."""
    if value in (None, ""):
        if required:
            raise errors.invalid({"hours": required_problem()})
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        hours = Decimal("NaN")
    if (
        not hours.is_finite()
        or not Decimal("0.1") <= hours <= 1000
        or hours != hours.quantize(Decimal("0.1"))
    ):
        raise errors.invalid({"hours": _("Give the hours, from 0.1 to 1000, such as 3.5.")})
    return hours


# --- needs -----------------------------------------------------------------------------------


def _clean_need(values: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, str] = {}
    for key in ("name_zh_hans", "name_zh_hant", "name_en"):
        if key in values:
            values[key] = str(values[key] or "").strip()
            if len(values[key]) > 200:
                problems[key] = errors.too_long(200)
    if "name_zh_hans" in values and not values["name_zh_hans"]:
        problems["name_zh_hans"] = required_problem()
    if "duty" in values and values["duty"] not in Duty.values:
        problems["duty"] = choice_problem()
    months = values.get("refresher_months")
    if months is not None and not (isinstance(months, int) and 1 <= months <= 120):
        problems["refresher_months"] = _("Give 1 to 120 months, or leave it empty.")
    _texts(values, problems)
    if problems:
        raise errors.invalid(problems)
    return values


def create_need(*, actor: User, duty: str, name_zh_hans: str, **fields: Any) -> TrainingNeed:
    """Add a training need for a duty (administrators)."""
    _manager(actor)
    extra = {k: v for k, v in fields.items() if k in NEED_FIELDS}
    values = _clean_need({**extra, "duty": duty, "name_zh_hans": name_zh_hans})
    with transaction.atomic():
        need = TrainingNeed.objects.create(**values)
        audit.record(
            "training.need.created",
            need,
            actor=actor,
            data=audit.snapshot(need, NEED_FIELDS),
            new_stream=True,
        )
    return need


def update_need(need: TrainingNeed, *, actor: User, **fields: Any) -> TrainingNeed:
    """Change a need: its names, duty, refresher interval, whether it is asked (administrators)."""
    _manager(actor)
    values = _clean_need({k: v for k, v in fields.items() if k in NEED_FIELDS})
    with transaction.atomic():
        locked = TrainingNeed.objects.select_for_update().get(pk=need.pk)
        before = audit.snapshot(locked, NEED_FIELDS)
        for key, value in values.items():
            setattr(locked, key, value)
        changes = audit.diff(before, audit.snapshot(locked, NEED_FIELDS))
        if changes:
            locked.save(update_fields=[*changes, "updated_at"])
            audit.record("training.need.updated", locked, actor=actor, changes=changes)
        audit.note_outcome(locked, changes)
    return locked


# --- courses and materials -------------------------------------------------------------------


def _clean_course(values: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, str] = {}
    _texts(values, problems)
    if "title" in values and not values["title"]:
        problems["title"] = required_problem()
    if problems:
        raise errors.invalid(problems)
    if "hours" in values:
        values["hours"] = _hours(values["hours"], required=False)
    return values


def _need_list(needs: Iterable[TrainingNeed | int]) -> list[TrainingNeed]:
    ids = {n.pk if isinstance(n, TrainingNeed) else int(n) for n in needs}
    found = list(TrainingNeed.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise errors.invalid({"needs": choice_problem()})
    return found


def create_course(
    *, actor: User, title: str, needs: Iterable[TrainingNeed | int] = (), **fields: Any
) -> Course:
    """Add a course and the needs it meets (administrators)."""
    _manager(actor)
    values = _clean_course({"title": title, **fields})
    chosen = _need_list(needs)
    with transaction.atomic():
        course = Course.objects.create(created_by=actor, **values)
        course.needs.set(chosen)
        audit.record(
            "training.course.created",
            course,
            actor=actor,
            data={**audit.snapshot(course, COURSE_FIELDS), "needs": sorted(n.pk for n in chosen)},
            new_stream=True,
        )
    return course


def update_course(
    course: Course,
    *,
    actor: User,
    needs: Iterable[TrainingNeed | int] | None = None,
    **fields: Any,
) -> Course:
    """Change a course: its texts, hours, whether it is offered, the needs it meets."""
    _manager(actor)
    values = _clean_course({k: v for k, v in fields.items() if k in COURSE_FIELDS})
    chosen = _need_list(needs) if needs is not None else None
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        before = {
            **audit.snapshot(locked, COURSE_FIELDS),
            "needs": sorted(locked.needs.values_list("pk", flat=True)),
        }
        for key, value in values.items():
            setattr(locked, key, value)
        if chosen is not None:
            locked.needs.set(chosen)
        after = {
            **audit.snapshot(locked, COURSE_FIELDS),
            "needs": sorted(n.pk for n in chosen) if chosen is not None else before["needs"],
        }
        changes = audit.diff(before, after)
        if changes:
            own = [k for k in changes if k != "needs"]
            if own:
                locked.save(update_fields=own)
            audit.record("training.course.updated", locked, actor=actor, changes=changes)
        audit.note_outcome(locked, changes)
    return locked


def add_material(
    course: Course, *, actor: User, title: str, upload: UploadedFile
) -> CourseMaterial:
    """Add a file to a course's materials; its type is judged by its content."""
    _manager(actor)
    title = str(title or "").strip() or (upload.name or "").rsplit("/", 1)[-1]
    if len(title) > 200:
        raise errors.invalid({"title": errors.too_long(200)})
    media_type = checked_type(
        upload, limit=MAX_MATERIAL_BYTES, allowed=MATERIAL_TYPES, refused=errors.bad_material
    )
    with transaction.atomic():
        Course.objects.select_for_update().get(pk=course.pk)
        material = CourseMaterial(
            course=course, title=title[:200], media_type=media_type, uploaded_by=actor
        )
        material.file.save(upload.name or "material", upload, save=False)
        material.save()
        audit.record(
            "training.material.added",
            course,
            actor=actor,
            data={"material": material.pk, "title": material.title, "type": media_type},
        )
    return material


def remove_material(material: CourseMaterial, *, actor: User) -> None:
    _manager(actor)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=material.course_id)
        deleted, _rows = CourseMaterial.objects.filter(pk=material.pk).delete()
        if deleted:
            audit.record(
                "training.material.removed",
                course,
                actor=actor,
                data={"material": material.pk, "title": material.title},
            )
            name = material.file.name
            storage = material.file.storage
            transaction.on_commit(lambda: storage.delete(name) if name else None)


def link_session(course: Course, *, meeting: Meeting, actor: User) -> TrainingSession:
    """Hold a training meeting as this course: its sign-ins then meet the course's needs."""
    _manager(actor)
    if meeting.kind.code != TRAINING_KIND:
        raise errors.not_a_training()
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        session, created = TrainingSession.objects.update_or_create(
            meeting=meeting, defaults={"course": course, "linked_by": actor}
        )
        audit.record(
            "training.session.linked",
            meeting,
            actor=actor,
            data={"course": course.pk, "title": course.title, "new": created},
        )
    return session


def unlink_session(meeting: Meeting, *, actor: User) -> None:
    """The meeting is no longer held as a course (its sign-ins count for every need again)."""
    _manager(actor)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        deleted, _rows = TrainingSession.objects.filter(meeting=meeting).delete()
        if deleted:
            audit.record("training.session.unlinked", meeting, actor=actor)


# --- external training -----------------------------------------------------------------------


def _certificate_type(certificate: UploadedFile) -> str:
    return checked_type(
        certificate,
        limit=MAX_CERTIFICATE_BYTES,
        allowed=CERTIFICATE_TYPES,
        refused=errors.bad_certificate,
    )


def record_external(
    *,
    actor: User,
    person: User,
    title: str,
    issuer: str,
    completed_on: date,
    hours: Decimal | float | str,
    needs: Iterable[TrainingNeed | int],
    certificate: UploadedFile | None = None,
) -> ExternalTraining:
    """Enter a training taken elsewhere for `person` (themself, or an administrator for
    anyone). It counts for the needs it names once an administrator verified it."""
    if not can_enter_external_for(actor, person):
        raise PermissionDenied()
    values: dict[str, Any] = {"title": title, "issuer": issuer}
    problems: dict[str, str] = {}
    _texts(values, problems)
    for key in ("title", "issuer"):
        if not values[key]:
            problems[key] = required_problem()
    if not isinstance(completed_on, date) or not in_window(completed_on):
        problems["completed_on"] = date_problem()
    elif completed_on > timezone.localdate():
        problems["completed_on"] = _("Cannot be in the future.")
    need_ids = list(needs)
    if not need_ids:
        problems["needs"] = _("Choose the needs this training meets.")
    if problems:
        raise errors.invalid(problems)
    amount = _required_hours(hours)
    chosen = _need_list(need_ids)
    media_type = _certificate_type(certificate) if certificate is not None else ""
    with transaction.atomic():
        record = ExternalTraining(
            person=person,
            entered_by=actor,
            completed_on=completed_on,
            hours=amount,
            certificate_type=media_type,
            **values,
        )
        if certificate is not None:
            record.certificate.save(certificate.name or "certificate", certificate, save=False)
        record.save()
        record.needs.set(chosen)
        audit.record(
            "training.record.entered",
            record,
            actor=actor,
            data={
                "person": person.pk,
                "title": record.title,
                "issuer": record.issuer,
                "completed_on": completed_on,
                "hours": amount,
                "needs": sorted(n.pk for n in chosen),
                "certificate": bool(certificate),
            },
            new_stream=True,
        )
    return record


def _lock_record(record: ExternalTraining) -> ExternalTraining:
    return ExternalTraining.objects.select_for_update(of=("self",)).get(pk=record.pk)


def attach_certificate(
    record: ExternalTraining, *, actor: User, certificate: UploadedFile
) -> ExternalTraining:
    """Add or replace the certificate of a record still waiting for verification."""
    if not can_enter_external_for(actor, record.person):
        raise PermissionDenied()
    media_type = _certificate_type(certificate)
    with transaction.atomic():
        locked = _lock_record(record)
        if locked.status != RecordStatus.PENDING:
            raise errors.record_state(locked.status)
        old = locked.certificate.name
        locked.certificate.save(certificate.name or "certificate", certificate, save=False)
        locked.certificate_type = media_type
        locked.save(update_fields=["certificate", "certificate_type"])
        audit.record(
            "training.record.certificate_attached",
            locked,
            actor=actor,
            data={"type": media_type, "replaced": bool(old)},
        )
        if old:
            storage = locked.certificate.storage
            transaction.on_commit(lambda: storage.delete(old))
    return locked


def verify_external(
    record: ExternalTraining, *, actor: User, accept: bool, note: str = ""
) -> ExternalTraining:
    """An administrator other than the person accepts the record (it then counts) or does not
    (with a note). Preconditions: waiting for verification; a certificate to accept it."""
    if not can_manage_training(actor):
        raise PermissionDenied()
    if record.person_id == actor.pk:
        raise errors.self_verification()
    note = str(note or "").strip()
    if len(note) > TEXT_LIMITS["verification_note"]:
        raise errors.invalid({"note": errors.too_long(TEXT_LIMITS["verification_note"])})
    if not accept and not note:
        raise errors.invalid({"note": _("Say why the record is not accepted.")})
    with transaction.atomic():
        locked = _lock_record(record)
        if locked.status != RecordStatus.PENDING:
            raise errors.record_state(locked.status)
        if accept and not locked.certificate:
            raise errors.certificate_missing()
        locked.status = RecordStatus.VERIFIED if accept else RecordStatus.REJECTED
        locked.verified_by = actor
        locked.verified_at = timezone.now()
        locked.verification_note = note
        locked.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
        audit.record(
            "training.record.verified" if accept else "training.record.rejected",
            locked,
            actor=actor,
            changes={"status": [RecordStatus.PENDING, locked.status]},
            data={"note": note} if note else None,
        )
        notify.tell_record_decided(locked, actor=actor)
    return locked
