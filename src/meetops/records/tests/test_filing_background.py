"""Issue 16 finding 17: filing no longer holds the person's request. The request is recorded at
once, the worker files and tells the run how far it got, the person who asked is told; two
clicks or two workers file once; a failure is kept with its reason and can be asked again."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from meetops.core.errors import PermissionDenied
from meetops.core.models import AuditEntry
from meetops.meetings.models import Meeting
from meetops.notifications.models import OutboxMessage
from meetops.records import services
from meetops.records.jobs import run_queued_filings
from meetops.records.models import Document, Dossier, DossierStatus, FilingRun, FilingStatus
from meetops.records.services import filing
from meetops.records.tests.conftest import conclude

THREADS = 4


def _race(work: Any) -> list[Any]:
    """Run `work()` in THREADS threads released at once; their results (or errors, repr'd)."""
    start = threading.Barrier(THREADS)
    results: list[Any] = []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        except BaseException as exc:
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


@pytest.mark.django_db
def test_a_request_is_recorded_at_once_and_the_worker_files_it(concluded, organiser):
    run = services.request_filing(concluded, actor=organiser)
    assert run.status == FilingStatus.QUEUED and not Dossier.objects.exists()
    assert AuditEntry.objects.filter(action="records.filing.requested").count() == 1

    assert run_queued_filings() == 1
    run.refresh_from_db()
    dossier = Dossier.objects.get(meeting=concluded)
    assert (run.status, run.dossier_id) == (FilingStatus.DONE, dossier.pk)
    assert run.added == dossier.documents.count() == 2  # the plan and the attendance sheet
    assert (run.done, run.total, run.attempts) == (2, 2, 1)
    entry = AuditEntry.objects.get(action="records.dossier.filed")
    assert entry.actor == organiser and entry.source == "task"
    told = OutboxMessage.objects.get(event="records.filing.done")
    assert told.user == organiser and told.channel == "inapp"
    assert dossier.archive_number in told.subject
    assert run_queued_filings() == 0  # nothing left to do


@pytest.mark.django_db
def test_only_those_who_may_file_may_ask(concluded, member):
    with pytest.raises(PermissionDenied) as caught:
        services.request_filing(concluded, actor=member)
    assert caught.value.code == "cannot_file"
    assert not FilingRun.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_make_one_run(make_meeting, organiser):
    meeting = conclude(make_meeting(title="归档并发会"))
    results = _race(
        lambda: services.request_filing(Meeting.objects.get(pk=meeting.pk), actor=organiser).pk
    )
    assert len(results) == THREADS and all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert FilingRun.objects.count() == 1
    assert AuditEntry.objects.filter(action="records.filing.requested").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_file_a_request_once(make_meeting, organiser):
    meeting = conclude(make_meeting(title="归档双工作进程会"))
    run = services.request_filing(meeting, actor=organiser)
    taken = _race(run_queued_filings)
    assert sorted(taken) == [0] * (THREADS - 1) + [1], taken
    run.refresh_from_db()
    assert (run.status, run.attempts) == (FilingStatus.DONE, 1)
    assert AuditEntry.objects.filter(action="records.dossier.filed").count() == 1
    assert not AuditEntry.objects.filter(action="records.dossier.gathered").exists()
    sources = list(Document.objects.values_list("source", flat=True))
    assert sources and len(sources) == len(set(sources))
    assert OutboxMessage.objects.filter(event="records.filing.done").count() == 1


@pytest.mark.django_db
def test_a_worker_whose_run_was_taken_over_files_nothing(concluded, organiser, monkeypatch):
    """A worker that stalled past its lease while storing the files: another took the run
    over meanwhile; the first one's filing rolls back (no dossier), the second one's counts."""
    services.request_filing(concluded, actor=organiser)
    run, first = services.claim_filing()
    taken: list[Any] = []
    finish = filing._finish

    def stalled(*args: Any) -> None:
        # The lease (renewed by the last progress) ran out: another worker claims the run.
        later = timezone.now() + filing.LEASE + timedelta(seconds=1)
        taken.append(services.claim_filing(now=later))
        finish(*args)

    monkeypatch.setattr(filing, "_finish", stalled)
    assert services.run_filing(run, lease=first).status == FilingStatus.RUNNING
    assert not Dossier.objects.exists() and not Document.objects.exists()
    assert not OutboxMessage.objects.filter(event="records.filing.done").exists()

    assert taken[0] is not None and taken[0][1] != first
    # (This test has one connection: the other worker's claim went with the rollback. Its
    # worker claims the run again once the lease runs out, as any worker would.)
    monkeypatch.setattr(filing, "_finish", finish)
    claimed = services.claim_filing(now=timezone.now() + filing.LEASE + timedelta(seconds=1))
    assert claimed is not None
    taken_over, second = claimed
    done = services.run_filing(taken_over, lease=second)
    assert (done.status, done.attempts) == (FilingStatus.DONE, 2)
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
def test_a_run_whose_worker_keeps_dying_is_given_up_with_a_reason(concluded, organiser):
    services.request_filing(concluded, actor=organiser)
    now = timezone.now()
    for _n in range(filing.MAX_ATTEMPTS):
        assert services.claim_filing(now=now) is not None  # then the worker dies
        now += filing.LEASE + timedelta(seconds=1)
    assert services.claim_filing(now=now) is None
    run = FilingRun.objects.get()
    assert (run.status, run.error_code) == (FilingStatus.FAILED, "filing_interrupted")
    assert "3" in run.error


@pytest.mark.django_db
def test_a_failure_is_kept_with_its_reason_told_and_can_be_asked_again(
    concluded, organiser, archivist
):
    for category in services.Category.objects.all():
        category.required_for.clear()
    dossier, _added = services.file_meeting(concluded, actor=organiser)
    run = services.request_filing(concluded, actor=organiser)  # gather what is new …
    services.finalise_dossier(dossier, actor=archivist)  # … but the archivist locks it first
    run_queued_filings()
    run.refresh_from_db()
    assert (run.status, run.error_code) == (FilingStatus.FAILED, "dossier_final")
    assert run.error == "该案卷已正式归档，只有档案管理员可以更正。"  # in the asker's language
    assert AuditEntry.objects.filter(action="records.filing.failed").count() == 1
    told = OutboxMessage.objects.filter(event="records.filing.failed", user=organiser)
    assert told.exists() and run.error in told.first().body

    # Asking again is a new request (the failed one is closed), refused only by the rule.
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.FILED)
    again = services.request_filing(concluded, actor=organiser)
    assert again.pk != run.pk and again.status == FilingStatus.QUEUED


@pytest.mark.django_db
def test_the_page_shows_the_filing_under_way_then_the_dossier(
    client, concluded, organiser, outsider
):
    client.force_login(organiser)
    url = f"/archive/meetings/{concluded.pk}/"
    asked = client.post(url)
    assert asked.status_code == 302 and asked["Location"] == url
    run = FilingRun.objects.get()

    page = client.get(url).content.decode()
    assert 'id="filing" data-status="queued"' in page
    assert f'hx-get="/archive/filings/{run.pk}/"' in page  # polls while it waits
    assert f'href="{url}"' in page  # without JavaScript: a refresh link
    assert 'id="file-meeting"' not in page  # no second request while one is open
    client.post(url)  # a second click all the same: the same run
    assert FilingRun.objects.count() == 1

    FilingRun.objects.filter(pk=run.pk).update(status=FilingStatus.RUNNING, done=1, total=2)
    polled = client.get(f"/archive/filings/{run.pk}/", headers={"HX-Request": "true"})
    fragment = polled.content.decode()
    assert 'data-status="running"' in fragment and "hx-trigger" in fragment
    assert '<progress max="2" value="1">' in fragment and "1 / 2" in fragment
    assert "HX-Refresh" not in polled

    FilingRun.objects.filter(pk=run.pk).update(status=FilingStatus.QUEUED)
    run_queued_filings()
    polled = client.get(f"/archive/filings/{run.pk}/", headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"  # ended: the whole page again
    dossier = Dossier.objects.get()
    assert client.get(url)["Location"] == f"/archive/dossiers/{dossier.pk}/"
    page = client.get(f"/archive/dossiers/{dossier.pk}/").content.decode()
    assert 'id="filing"' not in page and 'id="gather"' in page
    assert "已归档" in page  # the flash the poll left: filed

    Meeting.objects.filter(pk=concluded.pk).update(confidentiality="confidential")
    client.force_login(outsider)  # who may not see the meeting does not see its filing
    assert client.get(f"/archive/filings/{run.pk}/").status_code == 404


@pytest.mark.django_db
def test_gathering_again_shows_on_the_dossier_page(client, concluded, organiser):
    dossier, _added = services.file_meeting(concluded, actor=organiser)
    client.force_login(organiser)
    response = client.post(f"/archive/dossiers/{dossier.pk}/gather/")
    assert response["Location"] == f"/archive/dossiers/{dossier.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'id="dossier-filing"' in page and 'id="filing" data-status="queued"' in page
    assert 'id="gather"' not in page
    run_queued_filings()
    page = client.get(response["Location"]).content.decode()
    assert 'id="filing"' not in page and 'id="gather"' in page


@pytest.mark.django_db
def test_a_filing_through_the_api_settles_the_failed_request_on_the_page(
    api_as, client, concluded, organiser, recorder
):
    """A failed request's reason stays on the page until the meeting is filed by any path: once
    the API files it, the page shows the dossier and its button, not the old failure."""
    services.request_filing(concluded, actor=organiser)
    type(organiser).objects.filter(pk=organiser.pk).update(is_active=False)
    run_queued_filings()
    run = FilingRun.objects.get()
    assert (run.status, run.error_code) == (FilingStatus.FAILED, "gone")
    client.force_login(recorder)
    url = f"/archive/meetings/{concluded.pk}/"
    assert run.error in client.get(url).content.decode()  # the reason, until filed

    filed = api_as(recorder).post("/api/v1/archive/dossiers", {"meeting_id": concluded.pk})
    assert filed.status_code == 201, filed.content
    dossier = Dossier.objects.get(pk=filed.json()["id"])
    assert client.get(url)["Location"] == f"/archive/dossiers/{dossier.pk}/"
    page = client.get(f"/archive/dossiers/{dossier.pk}/").content.decode()
    assert run.error not in page and 'id="filing"' not in page
    assert 'id="gather"' in page and "重新申请" not in page  # "Ask again"
    run.refresh_from_db()  # kept as it ended, marked superseded by the filing
    assert run.status == FilingStatus.FAILED and run.superseded_at is not None
    entry = AuditEntry.objects.get(action="records.dossier.filed")
    assert entry.data["superseded_runs"] == [run.pk]
