"""Signals for apps that must react to meetings without meetings knowing them.

Both are sent after the transaction commits (never for a rolled-back change),
so receivers may send mail, enqueue work or write in their own transaction.
"""

from django.dispatch import Signal

meeting_changed = Signal()
"""The meeting's plan changed. Arguments: meeting, actor, changes ({field: [old, new]})."""

meeting_stage_changed = Signal()
"""The meeting moved stage. Arguments: meeting, actor, from_stage, to_stage."""
