"""Identity pages: the sync page (start, progress, report) and linked accounts, per persona."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.models import AuditEntry
from meetops.identity.jobs import run_queued_syncs
from meetops.identity.models import ExternalIdentity, SyncRun
from meetops.identity.providers import Kind, PersonAttributes, override_providers
from meetops.identity.services import link_or_create_person
from meetops.identity.testing import FakeProvider
from meetops.identity.tests.test_sync import PEOPLE, TREE

pytestmark = pytest.mark.django_db


@pytest.fixture
def corp() -> Any:
    provider = FakeProvider("corp", kind=Kind.DIRECTORY, people=PEOPLE, departments=TREE)
    with override_providers(provider):
        yield provider


def test_only_admins_see_the_sync_page(
    client: Any, member: Any, admin_user: Any, corp: Any
) -> None:
    client.force_login(member)
    assert client.get("/identity/syncs/").status_code == 403
    assert client.post("/identity/syncs/corp/start/").status_code == 403
    client.force_login(admin_user)
    page = client.get("/identity/syncs/")
    assert page.status_code == 200
    assert "corp" in page.content.decode()


def test_an_admin_starts_a_sync_the_worker_runs_and_the_report_shows(
    client: Any, admin_user: Any, corp: Any
) -> None:
    client.force_login(admin_user)
    response = client.post("/identity/syncs/corp/start/")
    run = SyncRun.objects.get()
    assert response["Location"] == f"/identity/syncs/run/{run.pk}/"
    assert run.status == SyncRun.Status.QUEUED
    started = AuditEntry.objects.get(action="identity.sync.started")
    assert (started.actor, started.object_id) == (admin_user, str(run.pk))
    # While it waits, the progress fragment polls itself.
    fragment = client.get(f"/identity/syncs/run/{run.pk}/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    assert "HX-Refresh" not in fragment

    assert run_queued_syncs() == 1

    fragment = client.get(f"/identity/syncs/run/{run.pk}/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    page = client.get(f"/identity/syncs/run/{run.pk}/").content.decode()
    assert "李四" in page and "教学质量科" in page
    assert 'hx-trigger="every 2s"' not in page


def test_a_dry_run_from_the_page_changes_nothing(client: Any, admin_user: Any, corp: Any) -> None:
    client.force_login(admin_user)
    client.post("/identity/syncs/corp/start/", {"dry_run": "1"})
    run_queued_syncs()
    run = SyncRun.objects.get()
    assert run.dry_run and run.counts["people_created"] == 3
    assert not ExternalIdentity.objects.exists()


def test_my_settings_show_my_linked_accounts(client: Any) -> None:
    user = link_or_create_person(
        provider=FakeProvider("corp"), attrs=PersonAttributes("u-9", "wangwu", "王五")
    )
    client.force_login(user)
    page = client.get("/me/").content.decode()
    assert 'id="my-accounts"' in page and "corp" in page and "wangwu" in page


def test_admins_list_and_remove_links(client: Any, admin_user: Any, member: Any) -> None:
    user = link_or_create_person(
        provider=FakeProvider("corp"), attrs=PersonAttributes("u-9", "wangwu", "王五")
    )
    link = ExternalIdentity.objects.get(user=user)
    client.force_login(member)
    assert client.get("/identity/links/").status_code == 403
    assert client.post(f"/identity/links/{link.pk}/remove/").status_code == 403
    client.force_login(admin_user)
    assert "王五" in client.get("/identity/links/?q=wang").content.decode()
    assert "王五" not in client.get("/identity/links/?q=nobody").content.decode()
    client.post(f"/identity/links/{link.pk}/remove/")
    assert not ExternalIdentity.objects.exists()
    assert user.__class__.objects.filter(pk=user.pk).exists()


def test_the_links_and_sync_pages_do_not_grow_queries_with_rows(
    client: Any, admin_user: Any, corp: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetops.identity.sync import start_sync

    client.force_login(admin_user)

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    start_sync(corp, actor=admin_user)
    links, syncs = counted("/identity/links/"), counted("/identity/syncs/")
    for n in range(5):
        link_or_create_person(
            provider=FakeProvider("other"), attrs=PersonAttributes(f"x{n}", f"x{n}", f"某{n}")
        )
        start_sync(corp, actor=admin_user)
    assert counted("/identity/links/") == links
    assert counted("/identity/syncs/") == syncs


def test_the_scheduled_sync_runs_every_provider_that_lists_people(
    admin_user: Any, corp: Any
) -> None:
    from meetops.identity.jobs import run_scheduled_syncs

    assert run_scheduled_syncs() == ["corp"]
    run = SyncRun.objects.get()
    assert (run.started_by, run.status, run.counts["people_created"]) == (None, "succeeded", 3)
