"""Agenda items: what happens in a meeting, in which order, for how long, presented by whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AgendaItem(models.Model):
    """One item of a meeting's agenda.

    `start` is set only when the item is pinned to a time; an item without it
    "flows": it starts when the previous item ends (the first at the meeting's
    start). The times a reader sees are computed by `agenda.schedule`.
    """

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    presenter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    presenter_contact = models.ForeignKey(
        "people.ExternalContact",
        verbose_name=_("presenter (external)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    presenter_name = models.CharField(_("presenter name"), max_length=150, blank=True)
    start = models.DateTimeField(_("fixed start"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    room_label = models.CharField(_("room"), max_length=200, blank=True)
    materials = models.FileField(_("materials"), upload_to="agenda/%Y/%m/", blank=True)
    materials_note = models.CharField(_("materials note"), max_length=500, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "id"]
        indexes = [models.Index(fields=["meeting", "order"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="agenda_item_has_duration"
            ),
            models.CheckConstraint(
                condition=Q(presenter_user__isnull=True) | Q(presenter_contact__isnull=True),
                name="agenda_item_one_presenter",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def presenter(self) -> str:
        """The presenter as a reader sees it: the person's name, the contact's, or the free text."""
        if self.presenter_user_id and self.presenter_user:
            return str(self.presenter_user)
        if self.presenter_contact_id and self.presenter_contact:
            return str(self.presenter_contact)
        return self.presenter_name
