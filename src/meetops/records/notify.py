"""Who hears about a destruction proposal: the leaders who may decide it (issue 12: what waits on
one person reaches them personally, and their work IM message offers Approve / Reject).

`services.propose_destruction` queues the message in the proposal's own transaction (outbox rows
commit or roll back with it). The person who asked for a filing hears when the worker has filed
the meeting (in the filing's transaction) or why it failed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.meetings.selectors import prime_meeting_access
from meetops.notifications import events
from meetops.notifications.models import Channel
from meetops.notifications.services import enqueue
from meetops.people.models import Role, User
from meetops.records.decisions import DESTRUCTION
from meetops.records.models import Destruction, Dossier, FilingRun

PROPOSED = events.register_event(
    "records.destruction.proposed",
    _("An archive destruction proposal is waiting for your decision"),
    broadcast=False,
).code


def destruction_url(destruction: Destruction) -> str:
    """The destruction page, naming the proposal (its message's buttons find it by this)."""
    return f"/archive/destruction/?proposal={destruction.pk}"


def deciders(destruction: Destruction) -> list[User]:
    """The leaders who may decide it and see the dossier, never the proposer."""
    leaders = (
        User.objects.filter(role_assignments__role=Role.LEADER, is_active=True)
        .exclude(pk__in=[destruction.proposed_by_id or 0])
        .distinct()
        .order_by("pk")
    )
    people = list(leaders)
    # The flow's own rule, asked of each leader: what their inboxes list.
    prime_meeting_access(people, [destruction.dossier.meeting])
    return [u for u in people if DESTRUCTION.waits_on(u, destruction)]


def proposal_made(destruction: Destruction) -> int:
    """Tell the deciders that a proposal waits for them."""
    dossier = destruction.dossier
    return enqueue(
        event=PROPOSED,
        recipients=deciders(destruction),
        meeting=dossier.meeting,
        actor=destruction.proposed_by,
        context={
            "dossier": dossier,
            "destruction": destruction,
            "by": str(destruction.proposed_by or ""),
            "url": destruction_url(destruction),
        },
        dedupe_key=f"{PROPOSED}:{destruction.pk}",
    )


FILING_DONE = events.register_event(
    "records.filing.done",
    _("A meeting you asked to file is filed in the archive"),
    # The page showed its progress: the bell is enough, unless the person asks for more.
    default_channels=(Channel.INAPP,),
    broadcast=False,
).code
FILING_FAILED = events.register_event(
    "records.filing.failed",
    _("Filing a meeting you asked to file failed"),
    broadcast=False,
).code


def filing_done(run: FilingRun, *, dossier: Dossier, added: int) -> int:
    """Tell the person who asked that the worker filed the meeting (inside the filing's
    transaction: no message about a filing that rolled back)."""
    url = f"/archive/dossiers/{dossier.pk}/"
    return _tell_asker(run, FILING_DONE, url=url, dossier=dossier, added=added)


def filing_failed(run: FilingRun, *, reason: str) -> int:
    """Tell the person who asked why filing failed; the page lets them ask again."""
    url = f"/archive/meetings/{run.meeting_id}/"
    return _tell_asker(run, FILING_FAILED, url=url, reason=reason)


def _tell_asker(run: FilingRun, event: str, *, url: str, **context: object) -> int:
    """One message about the run to the person who asked for it (none if they are gone), once
    per run and event."""
    return enqueue(
        event=event,
        recipients=[run.requested_by] if run.requested_by else [],
        meeting=run.meeting,
        context={"meeting": run.meeting, "url": url, **context},
        dedupe_key=f"{event}:{run.pk}",
    )
