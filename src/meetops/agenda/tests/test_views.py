"""Agenda editor and plan pages: personas, htmx fragments, query counts that do not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from meetops.agenda import services
from meetops.agenda.models import AgendaItem
from meetops.agenda.plan import PlanSection, register_plan_section, unregister_plan_section
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _people(meeting, organiser, make_user, n):
    for _i in range(n):
        meetings.add_participant(
            meeting, actor=organiser, user=make_user(), role=MeetingRole.PARTICIPANT
        )


def test_editor_personas(client, organiser, member, outsider, make_meeting, rows):
    internal = make_meeting(title="内部会")
    services.replace_agenda(internal, items=rows(10), actor=organiser)
    client.force_login(organiser)
    page = client.get(reverse("agenda_editor", args=[internal.pk])).content.decode()
    assert "议题1" in page and "data-agenda-sortable" in page and 'id="agenda-form"' in page
    client.force_login(member)
    page = client.get(reverse("agenda_editor", args=[internal.pk])).content.decode()
    assert "议题1" in page and "data-agenda-sortable" not in page and 'id="agenda-form"' not in page
    add = reverse("agenda_item_add", args=[internal.pk])
    assert client.post(add, {"title": "偷偷加", "duration_minutes": 5}).status_code == 403
    secret = make_meeting(title="保密会", confidentiality="confidential")
    client.force_login(outsider)
    for name in ("agenda_editor", "meeting_plan", "meeting_plan_docx"):
        assert client.get(reverse(name, args=[secret.pk])).status_code == 404
    assert (
        client.post(reverse("agenda_item_add", args=[secret.pk]), {"title": "x"}).status_code == 404
    )


def test_htmx_add_move_reorder_and_delete(client, organiser, meeting):
    client.force_login(organiser)
    add = reverse("agenda_item_add", args=[meeting.pk])
    fragment = client.post(
        add, {"title": "开场", "duration_minutes": 10}, headers=HTMX
    ).content.decode()
    assert fragment.startswith('<section id="agenda-editor"') and "开场" in fragment
    client.post(
        add, {"title": "报告", "duration_minutes": 115, "presenter": "张教授"}, headers=HTMX
    )
    first, second = AgendaItem.objects.filter(meeting=meeting).order_by("order")
    moved = client.post(
        reverse("agenda_item_move", args=[meeting.pk, second.pk]), {"direction": "up"}, headers=HTMX
    )
    assert moved.content.decode().index("报告") < moved.content.decode().index("开场")
    reordered = client.post(
        reverse("agenda_reorder", args=[meeting.pk]),
        {"order": f"{first.pk},{second.pk}"},
        headers=HTMX,
    )
    html = reordered.content.decode()
    assert 'data-start="09:10"' in html and "agenda_overruns" in html
    stale = client.post(
        reverse("agenda_reorder", args=[meeting.pk]), {"order": f"{first.pk}"}, headers=HTMX
    )
    assert 'class="flash error"' in stale.content.decode()
    client.post(reverse("agenda_item_delete", args=[meeting.pk, second.pk]), headers=HTMX)
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == [
        "开场"
    ]


def test_edit_form_and_service_errors_show_in_the_fragment(client, organiser, meeting):
    client.force_login(organiser)
    item = services.add_item(meeting, actor=organiser, title="开场", duration_minutes=10)
    url = reverse("agenda_item_edit", args=[meeting.pk, item.pk])
    form = client.get(url, headers=HTMX).content.decode()
    assert form.startswith('<div id="agenda-form"') and 'value="开场"' in form
    saved = client.post(
        url,
        {"title": "开幕式", "duration_minutes": 15, "start": "", "room": "报告厅"},
        headers=HTMX,
    )
    assert "开幕式" in saved.content.decode()
    item.refresh_from_db()
    assert (item.title, item.duration_minutes, item.room_label) == ("开幕式", 15, "报告厅")
    invalid = client.post(url, {"title": "", "duration_minutes": 15}, headers=HTMX)
    assert invalid.status_code == 200 and "errorlist" in invalid.content.decode()


def test_plain_post_without_htmx_redirects_back(client, organiser, meeting):
    client.force_login(organiser)
    response = client.post(
        reverse("agenda_item_add", args=[meeting.pk]), {"title": "开场", "duration_minutes": 10}
    )
    assert response.status_code == 302 and response.url == reverse(
        "agenda_editor", args=[meeting.pk]
    )


@pytest.mark.parametrize("name", ["agenda_editor", "meeting_plan"])
def test_page_query_count_does_not_grow_with_items(
    name, client, organiser, meeting, make_user, rows, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organiser)
    url = reverse(name, args=[meeting.pk])
    services.replace_agenda(meeting, items=rows(5, 5), actor=organiser)
    _people(meeting, organiser, make_user, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    services.replace_agenda(meeting, items=rows(*([3] * 30)), actor=organiser)
    _people(meeting, organiser, make_user, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(few.captured_queries) <= 16


def test_plan_page_shows_the_plan_and_registered_sections(client, organiser, meeting, rows):
    services.replace_agenda(meeting, items=rows(30), actor=organiser)

    def budget(m, viewer):
        return PlanSection(title="预算概要", rows=[("合计", "¥12,000")], order=5)

    register_plan_section(budget)
    try:
        client.force_login(organiser)
        page = client.get(reverse("meeting_plan", args=[meeting.pk])).content.decode()
    finally:
        unregister_plan_section(budget)
    for text in (
        "季度工作会议",
        "总结上季度工作",
        "部署下季度工作",
        "议题1",
        "预算概要",
        "¥12,000",
        "organiser",
        "plan.css",
    ):
        assert text in page


def test_meeting_agenda_include_renders_for_the_detail_page(rf, organiser, meeting, rows):
    from django.template.loader import render_to_string

    services.replace_agenda(meeting, items=rows(30), actor=organiser)
    html = render_to_string("agenda/_meeting_agenda.html", {"meeting": meeting})
    assert "议题1" in html and reverse("agenda_editor", args=[meeting.pk]) in html


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "议程"), ("zh-hant", "議程"), ("en", "Agenda")]
)
def test_agenda_include_speaks_three_languages(organiser, meeting, language, expected):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        html = render_to_string("agenda/_meeting_agenda.html", {"meeting": meeting})
    assert f"<h2>{expected}</h2>" in html


def test_materials_upload_and_download_follow_meeting_visibility(
    client, organiser, member, outsider, make_meeting
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    secret = make_meeting(title="保密会", confidentiality="confidential")
    meetings.add_participant(secret, actor=organiser, user=member)
    client.force_login(organiser)
    upload = SimpleUploadedFile("报告.txt", "第三季度数据".encode(), content_type="text/plain")
    client.post(
        reverse("agenda_item_add", args=[secret.pk]),
        {
            "title": "报告",
            "duration_minutes": 30,
            "materials": upload,
            "materials_note": "会前阅读",
        },
        headers=HTMX,
    )
    item = AgendaItem.objects.get(meeting=secret)
    assert item.materials and item.materials_note == "会前阅读"
    url = reverse("agenda_materials", args=[secret.pk, item.pk])
    client.force_login(member)
    response = client.get(url)
    assert (
        response.status_code == 200
        and b"".join(response.streaming_content).decode() == "第三季度数据"
    )
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    client.post(
        reverse("agenda_item_edit", args=[secret.pk, item.pk]),
        {"title": "报告", "duration_minutes": 30, "clear_materials": "on"},
        headers=HTMX,
    )
    item.refresh_from_db()
    assert not item.materials


def test_public_agenda_lists_only_public_items_with_full_times(organiser, meeting, rows):
    from meetops.agenda.selectors import public_agenda_of

    services.replace_agenda(
        meeting,
        items=[
            {"title": "内部通报", "duration_minutes": 30},
            {"title": "公开发布", "duration_minutes": 20, "is_public": True},
        ],
        actor=organiser,
    )
    public = public_agenda_of(meeting)
    assert [(s.item.title, s.start - meeting.start) for s in public.slots] == [
        ("公开发布", timedelta(minutes=30))
    ]


def test_conflicts_show_on_the_agenda_and_plan_pages(
    client, organiser, member, meeting, make_user, make_meeting
):
    host = make_user("host", display_name="王主任")
    meetings.add_participant(meeting, actor=organiser, user=host, role=MeetingRole.HOST)
    other = make_meeting(
        title="人事保密会",
        start=meeting.start + timedelta(minutes=30),
        confidentiality="confidential",
    )
    meetings.add_participant(other, actor=organiser, user=host)
    client.force_login(organiser)
    for name in ("agenda_editor", "meeting_plan"):
        page = client.get(reverse(name, args=[meeting.pk])).content.decode()
        assert "王主任" in page and "人事保密会" in page
    client.force_login(member)
    for name in ("agenda_editor", "meeting_plan"):
        page = client.get(reverse(name, args=[meeting.pk])).content.decode()
        assert "王主任" in page and "人事保密会" not in page and "另一会议" in page
