"""What the follow-up services share: locking the item, cleaning text, who hears about it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from meetops.core.filetypes import checked_type
from meetops.followup import errors
from meetops.followup.permissions import instructing_leader_id
from meetops.meetings.permissions import can_view_meeting
from meetops.minutes import errors as minute_errors
from meetops.minutes.models import ActionItem
from meetops.minutes.selectors import organisers_of
from meetops.notifications import services as notify
from meetops.people.models import User

MAX_TEXT = 20000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = ("pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "doc", "xls", "txt")


def lock(action: ActionItem) -> ActionItem:
    """The item, locked for the rest of the transaction; refuses a closed or cancelled meeting."""
    locked = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "owner")
        .get(pk=action.pk)
    )
    if locked.meeting.is_frozen:
        raise minute_errors.frozen()
    return locked


def text(value: str | None, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise errors.required(field)
    if len(cleaned) > limit:
        raise errors.too_long(field, limit)
    return cleaned


def attachment_type(attachment: UploadedFile | None) -> str:
    """The media type of an acceptable attachment (judged by its content), '' for none."""
    if attachment is None:
        return ""
    return checked_type(
        attachment,
        limit=MAX_ATTACHMENT_BYTES,
        allowed=ATTACHMENT_TYPES,
        refused=errors.bad_attachment,
    )


def url_of(action: ActionItem) -> str:
    return f"/followup/actions/{action.pk}/"


def followers(action: ActionItem) -> list[User]:
    """Who follows an item: its owner, the meeting's organisers and the instructing leader."""
    people: list[User] = []
    if action.owner is not None:
        people.append(action.owner)
    people.extend(organisers_of(action.meeting))
    leader_id = instructing_leader_id(action)
    if leader_id is not None:
        leader = User.objects.filter(pk=leader_id).first()
        if leader is not None:
            people.append(leader)
    return unique(people)


def unique(people: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for person in people:
        seen.setdefault(person.pk, person)
    return list(seen.values())


def tell(
    event: str,
    action: ActionItem,
    recipients: Iterable[User],
    *,
    actor: User | None,
    key: str,
    **context: Any,
) -> None:
    """Queue `event` about the item to `recipients` (in the caller's transaction).

    Whoever may follow the item but not see its meeting gets the message without the meeting."""
    people = list(recipients)
    seeing = [p for p in people if can_view_meeting(p, action.meeting)]
    others = [p for p in people if p not in seeing]
    for group, meeting in ((seeing, action.meeting), (others, None)):
        if group:
            notify.enqueue(
                event=event,
                recipients=group,
                meeting=action.meeting,
                context={"action": action, "meeting": meeting, "url": url_of(action), **context},
                dedupe_key=key,
                actor=actor,
            )
