"""The outbox worker: claim by compare-and-set, send, record, retry.

Order of events for one message (each line is its own committed write):

1. claim   UPDATE … SET status='sending', claim_token=T, claimed_until=now+lease,
           attempts=attempts+1 WHERE id IN (…) AND status IN ('queued','failed')
           AND next_attempt_at <= now      -- only one worker wins a row
2. marker  UPDATE … SET handed_over_at=now WHERE id=… AND claim_token=T
           -- right before the irreversible step; 0 rows: our lease was taken, stop
3. send    (SMTP: the final "." ; robots: the POST)
4. finish  UPDATE … SET status='sent', sent_at=now WHERE id=… AND claim_token=T,
           INSERT the delivery attempt with its outcome (one transaction)

A worker that dies leaves rows in 'sending' whose lease runs out. Recovery
(any worker, every loop) looks at the sent marker first. Without it nothing
left: the message goes back to the queue. With it the message was handed over
and may or may not have arrived (killed between 2 and 3, or after 3 before the
answer): `MEETOPS_OUTBOX_UNCONFIRMED` decides (docs/adr/0008). `hold` (the
default) marks it 'unconfirmed', never sends it again by itself, and tells the
people responsible, who send it again in one action; `resend` queues it again
with the same Message-ID (e-mail and webhooks, whose receivers can drop
repeats). On PostgreSQL the marker's COMMIT is pipelined with the final "."
(see handover.py), so the window is two socket writes wide.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import random
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from meetops.core import scheduler
from meetops.core.leases import release_lease, take_lease
from meetops.notifications import handover, im, queue, unconfirmed
from meetops.notifications import lanes as lanes_module
from meetops.notifications.handover import LeaseLost
from meetops.notifications.models import (
    ROBOT_CHANNELS,
    Channel,
    DeliveryAttempt,
    Notification,
    OutboxMessage,
    RobotEndpoint,
    Status,
)
from meetops.notifications.senders import Permanent, SendError, robots, webhook
from meetops.notifications.senders.email import EmailSender

logger = logging.getLogger("meetops.worker")
Outcome = DeliveryAttempt.Outcome

DUE = Q(status__in=[Status.QUEUED, Status.FAILED])


def lease_seconds() -> int:
    return int(getattr(settings, "MEETOPS_OUTBOX_LEASE_SECONDS", 120))


def max_attempts() -> int:
    return int(getattr(settings, "MEETOPS_OUTBOX_MAX_ATTEMPTS", 8))


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """30 s, 1 min, 2 min … capped at 6 h, with ±50 % jitter so retries do not stampede."""
    base = min(30 * 2 ** max(attempts - 1, 0), 6 * 3600)
    seconds = base * (0.5 + random.random())
    return timedelta(seconds=max(seconds, retry_after or 0))


@dataclass
class Stats:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    recovered: int = 0
    jobs: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.dead


class Worker:
    def __init__(
        self,
        *,
        name: str | None = None,
        batch_size: int = 50,
        lanes: tuple[str, ...] | None = None,
    ) -> None:
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.batch_size = batch_size
        # Urgent first, always (lanes.py); a node may take only one lane.
        self.lanes = lanes or lanes_module.parse_lanes(settings.MEETOPS_WORKER_LANES)
        self.stopping = threading.Event()
        # On PostgreSQL, COMMIT the sent marker and write the final "." back to back.
        self.pipelined_commit = True
        self._markers = 0
        self._kill_after_marker = _test_kill_after_marker()

    # --- claiming ------------------------------------------------------------

    def claim(self, base: Q, limit: int) -> list[OutboxMessage]:
        """Take up to `limit` due messages matching `base` by compare-and-set."""
        now = timezone.now()
        due = OutboxMessage.objects.filter(DUE & base, next_attempt_at__lte=now)
        ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        token = uuid.uuid4().hex
        OutboxMessage.objects.filter(DUE, pk__in=ids, next_attempt_at__lte=now).update(
            status=Status.SENDING,
            claimed_by=self.name[:100],
            claim_token=token,
            claimed_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
        return list(
            OutboxMessage.objects.filter(claim_token=token, status=Status.SENDING)
            .select_related("user", "robot", "webhook")
            .order_by("id")
        )

    def recover_expired(self) -> int:
        """Settle messages whose worker died: the sent marker decides."""
        now = timezone.now()
        count = 0
        stale = OutboxMessage.objects.filter(status=Status.SENDING, claimed_until__lt=now)
        for msg in stale.select_related("meeting")[:500]:
            mine = OutboxMessage.objects.filter(
                pk=msg.pk, status=Status.SENDING, claim_token=msg.claim_token
            )
            with transaction.atomic():
                if msg.handed_over_at:
                    done = unconfirmed.settle(
                        mine,
                        msg,
                        error="worker stopped after handing the message over",
                        retry_at=now,
                    )
                    outcome = Outcome.UNCONFIRMED
                else:
                    dead = msg.attempts >= max_attempts()
                    done = mine.update(
                        status=Status.DEAD if dead else Status.QUEUED,
                        claimed_until=None,
                        claim_token="",
                        claimed_by="",
                        next_attempt_at=now,
                        last_error="worker stopped before sending",
                    )
                    outcome = Outcome.INTERRUPTED
                if done:
                    DeliveryAttempt.objects.create(
                        message_id=msg.pk,
                        worker=msg.claimed_by,
                        started_at=now,
                        finished_at=now,
                        outcome=outcome,
                        error=f"recovered by {self.name}"[:2000],
                    )
                    count += 1
        return count

    # --- finishing -------------------------------------------------------------

    def _commit_point(self, msg: OutboxMessage) -> Callable[..., handover.Settle]:
        def mark(pipelined: bool = False) -> handover.Settle:
            settle = handover.mark(msg, pipelined=pipelined and self.pipelined_commit)
            self._markers += 1
            if self._markers == self._kill_after_marker:
                os.kill(os.getpid(), signal.SIGKILL)  # test seam: die inside the window
            return settle

        return mark

    def _record(self, msg: OutboxMessage, write: Callable[[], Any]) -> Any:
        """Write a send's outcome; if the database is away, keep trying while our lease holds.

        After the hand-over the outcome must be written by us: once the lease
        runs out, recovery would go by the marker alone.
        """
        while True:
            try:
                return write()
            except DatabaseError:
                if msg.claimed_until is None or timezone.now() >= msg.claimed_until:
                    raise
                logger.warning("outbox #%s: cannot record the outcome yet; retrying", msg.pk)
                with contextlib.suppress(Exception):
                    connection.close()
                self.stopping.wait(1.0)

    def _attempt(self, msg: OutboxMessage, started: datetime, **fields: Any) -> DeliveryAttempt:
        # Written with the outcome, in the same commit: one write per message less.
        return DeliveryAttempt.objects.create(
            message=msg,
            worker=self.name[:100],
            started_at=started,
            finished_at=timezone.now(),
            **fields,
        )

    def _finish(
        self,
        msg: OutboxMessage,
        started: datetime,
        *,
        code: str,
        outcome: str,
        error: str = "",
        digest: OutboxMessage | None = None,
    ) -> None:
        now = timezone.now()
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=msg.pk, claim_token=msg.claim_token).update(
                status=Status.SENT,
                sent_at=msg.handed_over_at or now,
                claimed_until=None,
                last_error=error,
                digest=digest,
            )
            self._attempt(msg, started, outcome=outcome, response_code=code[:40], error=error)

    @staticmethod
    def _count(stats: Stats, status: str) -> None:
        if status == Status.DEAD:
            stats.dead += 1
        else:
            stats.failed += 1

    def _fail(self, msg: OutboxMessage, started: datetime, exc: Exception) -> str:
        """Record a failure that left nothing at the other end: retry later, or give up."""
        now = timezone.now()
        code = getattr(exc, "code", "") or type(exc).__name__
        text = str(exc)[:2000] or type(exc).__name__
        permanent = isinstance(exc, Permanent) or msg.attempts >= max_attempts()
        retry_after = exc.retry_after if isinstance(exc, SendError) else None
        status = Status.DEAD if permanent else Status.FAILED
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=msg.pk, claim_token=msg.claim_token).update(
                status=status,
                claimed_until=None,
                claim_token="",
                last_error=text,
                handed_over_at=None,
                next_attempt_at=now + backoff(msg.attempts, retry_after),
            )
            self._attempt(
                msg,
                started,
                outcome=Outcome.DEAD if permanent else Outcome.RETRY,
                response_code=str(code)[:40],
                error=text,
            )
        logger.warning("outbox #%s %s: %s", msg.pk, status, text)
        return status

    def _deliver(
        self,
        msg: OutboxMessage,
        send: Callable[[Callable[..., handover.Settle]], str],
        stats: Stats,
    ) -> None:
        started = timezone.now()
        try:
            code = send(self._commit_point(msg))
        except LeaseLost:
            self._attempt(msg, started, outcome=Outcome.INTERRUPTED, error="lease lost")
            return
        except Exception as exc:
            if getattr(exc, "ambiguous", False):
                # Past the point of no return with no answer: it may have arrived.
                self._record(msg, functools.partial(self._unconfirmed, msg, started, exc))
                stats.sent += 1
                return
            if not isinstance(exc, SendError):
                logger.exception("outbox #%s: unexpected error", msg.pk)
            self._count(stats, self._record(msg, functools.partial(self._fail, msg, started, exc)))
            return
        self._record(msg, lambda: self._finish(msg, started, code=code, outcome=Outcome.SENT))
        stats.sent += 1

    def _unconfirmed(self, msg: OutboxMessage, started: datetime, exc: Exception) -> None:
        text = str(exc)[:2000] or type(exc).__name__
        mine = OutboxMessage.objects.filter(pk=msg.pk, claim_token=msg.claim_token)
        with transaction.atomic():
            unconfirmed.settle(
                mine, msg, error=text, retry_at=timezone.now() + backoff(msg.attempts)
            )
            self._attempt(
                msg,
                started,
                outcome=Outcome.UNCONFIRMED,
                response_code=str(getattr(exc, "code", ""))[:40],
                error=text,
            )

    # --- channels --------------------------------------------------------------

    def _deliver_inapp(self, msg: OutboxMessage, stats: Stats) -> None:
        now = timezone.now()
        with transaction.atomic():
            done = OutboxMessage.objects.filter(
                pk=msg.pk, claim_token=msg.claim_token, status=Status.SENDING
            ).update(status=Status.SENT, sent_at=now, handed_over_at=now, claimed_until=None)
            if not done:
                return
            Notification.objects.create(
                # In-app messages are only ever queued for a user (services.enqueue).
                user_id=cast(int, msg.user_id),
                event=msg.event,
                title=msg.subject,
                body=msg.body,
                url=msg.url,
                meeting_id=msg.meeting_id,
                source=msg,
                created_at=msg.created_at,
            )
            DeliveryAttempt.objects.create(
                message=msg,
                worker=self.name[:100],
                started_at=now,
                finished_at=now,
                outcome=Outcome.SENT,
            )
        stats.sent += 1

    def _claim_by_lane(self) -> list[OutboxMessage]:
        """Urgent messages first; bulk ones only when no urgent one is due, a small chunk at a
        time, so an urgent message queued meanwhile waits for one chunk at most."""
        personal = ~Q(channel__in=ROBOT_CHANNELS)
        for lane in self.lanes:
            limit = self.batch_size if lane == lanes_module.URGENT else self.bulk_chunk
            messages = self.claim(personal & Q(lane=lane), limit)
            if messages:
                return messages
        return []

    @property
    def bulk_chunk(self) -> int:
        return max(1, min(self.batch_size, 10))

    def send_batch(self, stats: Stats) -> int:
        """Claim and send one batch of e-mail, in-app, webhook and work IM messages."""
        messages = self._claim_by_lane()
        if not messages:
            return 0
        try:
            im.fan_out(messages)
        except Exception:  # the claimed messages still go out, if need be without their copies
            logger.exception("work IM copies of this batch were not queued")
        mailer: EmailSender | None = None
        try:
            for msg in messages:
                if self.stopping.is_set():
                    break  # the rest keep their lease and come back after it expires
                if msg.channel == Channel.INAPP:
                    self._deliver_inapp(msg, stats)
                elif msg.channel == Channel.EMAIL:
                    mailer = mailer or EmailSender()
                    self._deliver(msg, functools.partial(mailer.send, msg), stats)
                elif msg.channel == Channel.WEBHOOK:
                    self._deliver(msg, functools.partial(webhook.send, msg), stats)
                elif msg.channel == Channel.IM:
                    self._deliver(msg, functools.partial(im.send, msg), stats)
        finally:
            if mailer:
                mailer.close()
        return len(messages)

    def send_robots(self, stats: Stats) -> int:
        """For each robot with due messages: take its lease, respect its rate, send one message or a digest."""
        now = timezone.now()
        robot_ids = set(
            OutboxMessage.objects.filter(
                DUE, robot__isnull=False, next_attempt_at__lte=now, lane__in=self.lanes
            )
            .values_list("robot_id", flat=True)
            .distinct()
        )
        handled = 0
        for robot_id in robot_ids:
            lease = take_lease(RobotEndpoint, robot_id, seconds=lease_seconds(), now=now)
            if lease is None:
                continue
            try:
                handled += self._send_robot(RobotEndpoint.objects.get(pk=robot_id), stats)
            finally:
                release_lease(RobotEndpoint, robot_id, lease)
        return handled

    def _send_robot(self, robot: RobotEndpoint, stats: Stats) -> int:
        now = timezone.now().timestamp()
        recent = [t for t in robot.recent_sends if t > now - 60]
        if len(recent) >= robot.rate_per_minute:
            # Over the minute's budget: leave them queued; they go out as one digest later.
            return 0
        messages = self.claim(Q(robot=robot, lane__in=self.lanes), 20)
        if not messages:
            return 0
        started = timezone.now()
        lead = messages[0]

        def commit_point(pipelined: bool = False) -> handover.Settle:
            at = timezone.now()
            for m in messages:
                if not OutboxMessage.objects.filter(
                    pk=m.pk, claim_token=m.claim_token, status=Status.SENDING
                ).update(handed_over_at=at):
                    raise LeaseLost(m.pk)
                m.handed_over_at = at
            return lambda: True

        try:
            code = robots.send(robot, messages, commit_point)
        except LeaseLost:
            return 0
        except Exception as exc:
            # The robot answered with an error, or could not be reached: nothing was
            # posted (a read timeout is the exception: documented at-least-once).
            RobotEndpoint.objects.filter(pk=robot.pk).update(last_error=str(exc)[:2000])
            for m in messages:
                self._count(stats, self._fail(m, started, exc))
            return len(messages)
        recent.append(timezone.now().timestamp())
        RobotEndpoint.objects.filter(pk=robot.pk).update(recent_sends=recent, last_error="")
        for m in messages:
            self._finish(
                m,
                started,
                code=code,
                outcome=Outcome.SENT,
                digest=lead if m is not lead and len(messages) > 1 else None,
            )
            stats.sent += 1
        return len(messages)

    # --- loops ---------------------------------------------------------------

    def run_once(self, *, with_jobs: bool = True) -> Stats:
        stats = Stats()
        stats.recovered = self.recover_expired()
        checked = 0.0
        while not self.stopping.is_set():
            # Between batches too: a long backlog must not hold up the reminder job.
            if with_jobs and time.monotonic() - checked >= 1.0:
                stats.jobs += scheduler.run_due_jobs(worker=self.name, lanes=self.lanes)
                checked = time.monotonic()
            handled = self.send_batch(stats) + self.send_robots(stats)
            if handled == 0:
                break
        return stats

    def run(
        self,
        *,
        burst: bool = False,
        poll_seconds: float = 5.0,
        on_stats: Callable[[Stats], None] | None = None,
        with_jobs: bool = True,
    ) -> None:
        """Loop until stopped (or, with `burst`, until nothing is due)."""
        logger.info("worker %s started (%s)", self.name, "burst" if burst else "loop")
        queue.redis_client()  # connect (and import redis) now, not inside a signal handler
        while not self.stopping.is_set():
            close_old_connections()
            try:
                stats = self.run_once(with_jobs=with_jobs)
            except Exception:
                if burst:
                    raise
                logger.exception("worker loop failed; retrying")
                self.stopping.wait(poll_seconds)
                continue
            if on_stats:
                on_stats(stats)
            if burst:
                break
            if stats.handled == 0:
                queue.wait(poll_seconds, self.stopping)
        close_old_connections()
        logger.info("worker %s stopped", self.name)

    def install_signal_handlers(self) -> None:
        def stop(signum: int, frame: Any) -> None:
            # Only flags: a signal handler must not do I/O the interrupted code may be doing.
            self.stopping.set()
            queue.wake_local()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)


def _test_kill_after_marker() -> int:
    """Test-only seam: with MEETOPS_TESTING=1, MEETOPS_TEST_KILL_AFTER_MARKER=N makes the
    process SIGKILL itself right after its N-th sent marker is committed (sent, when
    pipelined), before the final "." is written: the ambiguous window, on demand."""
    if not settings.TESTING:
        return 0
    return int(os.environ.get("MEETOPS_TEST_KILL_AFTER_MARKER", "0") or 0)


_embedded: threading.Thread | None = None


def start_embedded_worker() -> threading.Thread | None:
    """Start one daemon worker thread in this process (for `meetops serve` without a separate worker)."""
    global _embedded
    if _embedded is not None and _embedded.is_alive():
        return _embedded
    worker = Worker(name=f"embedded:{socket.gethostname()}:{os.getpid()}")
    _embedded = threading.Thread(target=worker.run, name="meetops-embedded-worker", daemon=True)
    _embedded.start()
    return _embedded
