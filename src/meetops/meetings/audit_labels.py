"""Readable names of the meetings' coded values in audit `data` (core.audit.label_values)."""

from meetops.core.audit import label_values
from meetops.meetings.models import MeetingRole, Stage

label_values("stage", dict(Stage.choices))
label_values("role", dict(MeetingRole.choices))
