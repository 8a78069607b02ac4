"""Signals for apps that act on invitations without invitations knowing them."""

from django.dispatch import Signal

invitations_sent = Signal()
"""Invitations to a meeting were sent. Arguments: meeting, actor (None from a job),
participant_ids (the participants just invited, sorted).

Sent inside the transaction of the sending; receivers write only to the database — outbox
rows — and leave real side effects (HTTP to a work IM platform's calendar) to the worker.
"""
