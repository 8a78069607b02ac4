"""Notifications of training: a person who runs meetings is untrained or due for a refresher;
a person's external training was verified or not accepted by an administrator.

Texts: `templates/notifications/messages/<event>/`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetops.notifications import events
from meetops.notifications.services import enqueue
from meetops.training.models import ExternalTraining, RecordStatus

if TYPE_CHECKING:
    from meetops.people.models import User

TRAINING_DUE = events.register_event(
    "training.due", _("A training you need for your duties is missing or due"), broadcast=False
)
RECORD_DECIDED = events.register_event(
    "training.record.decided",
    _("Your external training was verified or not accepted"),
    broadcast=False,
)


def tell_record_decided(record: ExternalTraining, *, actor: User) -> int:
    """Queue the verdict on an external training for its person, in the caller's transaction."""
    return enqueue(
        event=RECORD_DECIDED.code,
        recipients=[record.person],
        actor=actor,
        context={
            "record": record,
            "accepted": record.status == RecordStatus.VERIFIED,
            # Many-to-many has no order of its own: the person reads them as the needs list.
            "needs": [n.name for n in record.needs.order_by("order", "pk")],
            "url": reverse("training:overview") + f"#record-{record.pk}",
        },
        dedupe_key=f"{RECORD_DECIDED.code}:{record.pk}",
    )
