"""Archive numbers under concurrency, completeness and final filing, paper archive, destruction."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.records import services
from meetops.records.models import Destruction, Dossier, PaperItem
from meetops.records.selectors import missing_categories
from meetops.records.tests.conftest import PDF, conclude, upload


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_filings_get_unique_archive_numbers(make_meeting, organiser):
    meetings = [conclude(make_meeting(title=f"并发会议{i}")) for i in range(6)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(meetings))

    def file(meeting):
        try:
            barrier.wait()
            for _attempt in range(20):
                try:
                    services.file_meeting(meeting, actor=organiser)
                    return
                except Exception as exc:  # SQLite: "database is locked" under contention
                    if "locked" not in str(exc):
                        raise
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(m,)) for m in meetings]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = list(Dossier.objects.values_list("archive_number", flat=True))
    year = meetings[0].start.astimezone().year
    assert sorted(numbers) == [f"{year}-REGULAR-{n:04d}" for n in range(1, 7)]


@pytest.mark.django_db
def test_numbers_follow_the_rule_per_year_and_kind(make_meeting, organiser, archivist):
    services.save_scheme(
        actor=archivist,
        file_name_pattern="{number}_{category}_{seq}.{ext}",
        number_pattern="HY·{year}·{seq:03d}",
    )
    first, _ = services.file_meeting(conclude(make_meeting(title="甲")), actor=organiser)
    second, docs = services.file_meeting(conclude(make_meeting(title="乙")), actor=organiser)
    year = first.year
    assert (first.archive_number, second.archive_number) == (f"HY·{year}·001", f"HY·{year}·002")
    assert docs[0].current.file_name == f"HY-{year}-002_签到名单_1.pdf"
    with pytest.raises(DomainError) as exc:
        services.save_scheme(
            actor=archivist, file_name_pattern="{meeting}.{ext}", number_pattern="{year}-{seq}"
        )
    assert exc.value.code == "invalid_pattern"
    with pytest.raises(DomainError) as exc:
        services.save_scheme(
            actor=organiser, file_name_pattern="{seq}.{ext}", number_pattern="{seq}"
        )
    assert exc.value.code == "forbidden"


@pytest.mark.django_db
def test_completeness_review_and_final_filing(
    concluded, organiser, archivist, written, recorder, host
):
    dossier, _ = services.file_meeting(concluded, actor=organiser)
    assert [c.code for c in missing_categories(dossier)] == ["minutes"]
    with pytest.raises(DomainError) as exc:
        services.finalise_dossier(dossier, actor=archivist)
    assert exc.value.code == "dossier_incomplete" and exc.value.details["missing"] == ["minutes"]
    review = services.record_year_review(dossier.year, actor=archivist, note="缺纪要", expected=0)
    assert (review.complete, review.incomplete) == (0, 1)
    from meetops.minutes import services as minutes
    from meetops.policy.rules import is_met

    assert is_met("records.filed", concluded) and not is_met("records.complete", concluded)
    minutes.submit_minutes(written, actor=recorder)
    minutes.approve_minutes(written, actor=host)
    services.file_meeting(concluded, actor=recorder)
    assert is_met("records.complete", concluded)
    review = services.record_year_review(dossier.year, actor=archivist, note="齐全", expected=1)
    dossier.refresh_from_db()
    assert (review.complete, dossier.status, dossier.finalised_by) == (1, "final", archivist)
    # locked: filers can no longer change it, archivists correct with a reason
    with pytest.raises(DomainError) as exc:
        services.file_meeting(concluded, actor=organiser)
    assert exc.value.code == "dossier_final"
    doc = dossier.documents.first()
    with pytest.raises(DomainError) as exc:
        services.correct_document(doc, actor=organiser, upload=upload("a.pdf", PDF), reason="改")
    assert exc.value.code == "dossier_final"
    assert (
        services.correct_document(
            doc, actor=archivist, upload=upload("a.pdf", PDF), reason="改"
        ).number
        == 2
    )


@pytest.mark.django_db
def test_default_process_completes_p41_and_p79_from_the_archive(concluded):
    steps = {s.clause: s for s in concluded.steps.filter(clause__in=["P4.1", "P7.9"])}
    assert steps["P4.1"].completion == "automatic" and steps["P4.1"].rule == "records.filed"
    assert steps["P7.9"].rule == "records.complete"


@pytest.mark.django_db
def test_paper_items_are_lent_and_returned(concluded, organiser, archivist):
    dossier, _ = services.file_meeting(concluded, actor=organiser)
    fields = {
        "title": "签到表原件",
        "pieces": 3,
        "room": "档案室A",
        "cabinet": "03",
        "shelf": "2",
        "box": "2026-01",
    }
    with pytest.raises(DomainError):
        services.register_paper_item(dossier, actor=organiser, fields=fields)
    item = services.register_paper_item(dossier, actor=archivist, fields=fields)
    assert item.location == "档案室A / 03 / 2 / 2026-01"
    loan = services.lend_item(
        item, actor=archivist, borrower="王芳", due_back=date.today() + timedelta(days=7)
    )
    with pytest.raises(DomainError) as exc:
        services.lend_item(item, actor=archivist, borrower="李明")
    assert exc.value.code == "already_lent"
    returned = services.return_item(item, actor=archivist)
    assert returned.pk == loan.pk and returned.returned_to == archivist
    with pytest.raises(DomainError) as exc:
        services.return_item(item, actor=archivist)
    assert exc.value.code == "not_lent"
    actions = list(
        AuditEntry.objects.filter(action__startswith="records.paper")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["records.paper.registered", "records.paper.lent", "records.paper.returned"]


def _expire(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(retain_until=date.today() - timedelta(days=1))
    dossier.refresh_from_db()
    return dossier


@pytest.mark.django_db
def test_destruction_needs_another_persons_approval_and_removes_files(
    concluded, organiser, archivist, make_user, meetops_cli
):
    from django.core.files.storage import default_storage

    dossier, docs = services.file_meeting(concluded, actor=organiser)
    with pytest.raises(DomainError) as exc:
        services.propose_destruction(dossier, actor=archivist, reason="到期")
    assert exc.value.code == "not_due"
    _expire(dossier)
    code, out, _err = meetops_cli("records", "due")
    assert code == 0 and dossier.archive_number in out
    with pytest.raises(DomainError) as exc:
        services.propose_destruction(dossier, actor=organiser, reason="到期")
    assert exc.value.code == "forbidden"
    boss = make_user("boss", roles=("leader", "archivist"))
    proposal = services.propose_destruction(
        dossier, actor=boss, reason="保管期满，依《档案法》销毁"
    )
    with pytest.raises(DomainError) as exc:
        services.approve_destruction(proposal, actor=boss, supervisors=[])
    assert exc.value.code == "own_proposal"
    with pytest.raises(DomainError) as exc:
        services.approve_destruction(proposal, actor=archivist, supervisors=[])  # not a leader
    assert exc.value.code == "forbidden"
    leader = make_user("leader2", roles=("leader",))
    paths = [d.current.file.name for d in docs]
    assert all(default_storage.exists(p) for p in paths)
    with pytest.raises(DomainError):
        services.reject_destruction(proposal, actor=leader, note="")

    done = _approve(proposal, leader)
    assert done.status == "done" and len(done.files) == len(docs)
    assert not any(default_storage.exists(p) for p in paths)
    dossier.refresh_from_db()
    assert dossier.status == "destroyed" and dossier.documents.count() == len(docs)  # metadata kept
    assert AuditEntry.objects.filter(action="records.destruction.approved").exists()
    with pytest.raises(DomainError) as exc:
        services.open_version(docs[0].versions.get(), actor=leader, action="view")
    assert exc.value.code == "file_gone"
    assert Destruction.objects.get().decided_by == leader
    code, out, _err = meetops_cli("records", "due")
    assert dossier.archive_number not in out


def _approve(proposal, leader, supervisors=None):
    from django.test import TestCase

    from meetops.people.models import User

    if supervisors is None:
        supervisors = [
            User.objects.create(username="jianxiao1", first_name="监销甲"),
            User.objects.create(username="jianxiao2", first_name="监销乙"),
        ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.approve_destruction(
            proposal, actor=leader, note="同意", supervisors=supervisors
        )


@pytest.mark.django_db
def test_destroyed_paper_items_are_marked(concluded, organiser, archivist, leader):
    dossier, _ = services.file_meeting(concluded, actor=organiser)
    services.register_paper_item(
        dossier, actor=archivist, fields={"title": "原件", "room": "A", "cabinet": "1"}
    )
    proposal = services.propose_destruction(_expire(dossier), actor=archivist, reason="期满")
    _approve(proposal, leader)
    assert PaperItem.objects.get().destroyed_at is not None
