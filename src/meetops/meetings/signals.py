"""Signals for apps that must react to meetings without meetings knowing them.

All are sent inside the transaction of the change, so what receivers write
commits or rolls back with it (the outbox rule: a message is written in the
same transaction as the change that caused it). Receivers write only to the
database — outbox rows, bookings — and leave real side effects (mail, HTTP,
anything outside the database) to the outbox worker or `transaction.on_commit`.
A receiver that raises rolls the change back.
"""

from django.dispatch import Signal

meeting_changed = Signal()
"""The meeting's plan changed. Arguments: meeting, actor, changes ({field: [old, new]}).

Sent inside the transaction; receivers write only to the database — outbox
rows, bookings — and leave real side effects to the outbox worker or on_commit.
"""

meeting_stage_changed = Signal()
"""The meeting moved stage. Arguments: meeting, actor, from_stage, to_stage.

Sent inside the transaction; receivers write only to the database — outbox
rows, bookings — and leave real side effects to the outbox worker or on_commit.
"""

participant_removed = Signal()
"""A person was taken off the meeting. Arguments: meeting, actor, participant.

Sent inside the transaction just before the participant row is deleted (rows
that cascade from it, such as an invitation, can still be read). Receivers
write only to the database and leave real side effects to the outbox worker.
"""
