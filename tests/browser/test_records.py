"""On a phone: an archivist searches the archive, opens a dossier and downloads a document."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_archivist_searches_the_archive_on_a_phone(
    open_page, sign_in, organiser, make_user, make_meeting
):
    from playwright.sync_api import expect

    from meetops.meetings.models import Meeting
    from meetops.records import services

    archivist = make_user("keeper", roles=("archivist",))
    for title in ("年度档案工作会议", "安全生产例会"):
        meeting = make_meeting(title=title)
        Meeting.objects.filter(pk=meeting.pk).update(stage="concluded")
        meeting.refresh_from_db()
        services.file_meeting(meeting, actor=organiser)

    page = open_page(width=375, height=740)
    sign_in(page, archivist.username)
    page.goto("/archive/")
    page.locator("#id_q").fill("档案工作")
    page.get_by_role("button", name="搜索").click()
    rows = page.locator("#archive-results tbody tr")
    expect(rows).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    rows.first.locator("a").first.click()
    expect(page.locator("#documents")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    with page.expect_download() as download:
        page.locator("#documents").get_by_role("link", name="下载").first.click()
    assert download.value.suggested_filename.endswith("_签到名单_01.pdf")
