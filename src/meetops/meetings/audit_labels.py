"""Readable names of the meetings' coded values in audit `data` (core.audit.label_values)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_values
from meetops.meetings.models import MeetingRole, Stage

label_values("stage", dict(Stage.choices))
label_values("role", dict(MeetingRole.choices))
label_actions({"meetings.participant.role_added": _("Role added to a participant")})
