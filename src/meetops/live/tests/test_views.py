"""Pages: personas, htmx fragments, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.live import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [("host", 200), ("organiser", 200), ("recorder", 200), ("member", 403), ("outsider", 404)],
)
def test_console_personas(client, room_meeting, persona, status, request, make_meeting):
    from meetops.meetings.models import Meeting

    Meeting.objects.filter(pk=room_meeting.pk).update(confidentiality="restricted")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("live:console", args=[room_meeting.pk])).status_code == status


def test_host_presses_next_through_htmx(client, room_meeting, items, host):
    client.force_login(host)
    url = reverse("live:action", args=[room_meeting.pk, "next"])
    page = client.post(url, {"version": "0"}, headers={"HX-Request": "true"})
    assert page.status_code == 200 and 'id="console"' in page.content.decode()
    assert "上季度总结" in page.content.decode()
    refused = client.post(url, {"version": "0"}, headers={"HX-Request": "true"})
    stale = refused.content.decode()
    assert refused.status_code == 409
    assert 'class="flash error" role="alert" data-code=' in stale  # the second device is told
    assert refused["HX-Retarget"] == "#main"  # in the page's flash area; nothing moved twice


def test_console_moves_carry_the_version_and_a_post_without_one_moves_nothing(
    client, room_meeting, items, host
):
    import re

    from meetops.live.models import LiveSession

    client.force_login(host)
    page = client.get(reverse("live:console", args=[room_meeting.pk])).content.decode()
    forms = re.findall(r'<form method="post" action="[^"]*/live/[^"]*".*?</form>', page, re.S)
    moves = [f for f in forms if "/warning" not in f]
    assert moves and all('name="version" value="0"' in f for f in moves)
    url = reverse("live:action", args=[room_meeting.pk, "next"])
    blind = client.post(url, {}, headers={"HX-Request": "true"}).content.decode()
    assert 'class="flash error"' in blind
    assert not LiveSession.objects.filter(meeting=room_meeting, version__gt=0).exists()


def test_timer_shows_the_item_and_turns_red(client, room_meeting, items, host, member):
    from datetime import timedelta

    from django.utils import timezone

    services.start_item(
        room_meeting, item=items[0], actor=host, at=timezone.now() - timedelta(minutes=11)
    )
    client.force_login(member)
    frame = client.get(reverse("live:timer_frame", args=[room_meeting.pk])).content.decode()
    assert "上季度总结" in frame and 'data-phase="over"' in frame and "+01:0" in frame
    page = client.get(reverse("live:timer", args=[room_meeting.pk])).content.decode()
    assert "vendor/htmx.min.js" in page and "//" not in page.split("htmx.min.js")[0][-60:]


def test_console_and_timer_query_counts_do_not_grow(
    client, room_meeting, host, member, organiser, django_assert_max_num_queries
):
    from meetops.agenda import services as agenda

    services.next_item(room_meeting, actor=host)
    services.ask_question(room_meeting, actor=member, text="一")
    services.report_problem(room_meeting, actor=member, category="sound")
    client.force_login(host)
    console = reverse("live:console", args=[room_meeting.pk])
    timer = reverse("live:timer_frame", args=[room_meeting.pk])
    with django_assert_max_num_queries(20) as base_console:
        client.get(console)
    with django_assert_max_num_queries(12) as base_timer:
        client.get(timer)
    for i in range(5):
        agenda.add_item(room_meeting, actor=organiser, title=f"议题{i}", duration_minutes=5)
        services.ask_question(room_meeting, actor=member, text=f"问题{i}")
        services.report_problem(room_meeting, actor=member, category="network")
    with django_assert_max_num_queries(len(base_console.captured_queries)):
        client.get(console)
    with django_assert_max_num_queries(len(base_timer.captured_queries)):
        client.get(timer)


def test_report_in_two_taps(client, room_meeting, member):
    client.force_login(member)
    url = reverse("live:support", args=[room_meeting.pk])
    assert client.get(url).status_code == 200  # tap one: open the page
    response = client.post(url, {"category": "sound", "room": "第一会议室"})  # tap two
    assert response.status_code == 302
    assert room_meeting.support_tickets.get().category == "sound"


def test_participants_see_materials_only_once_distributed(
    client, room_meeting, items, member, organiser
):
    from django.core.files.base import ContentFile

    items[0].materials.save("plan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    client.force_login(member)
    download = reverse("live:material", args=[room_meeting.pk, items[0].pk])
    assert client.get(download).status_code == 403
    assert (
        download
        not in client.get(reverse("live:materials", args=[room_meeting.pk])).content.decode()
    )
    client.force_login(organiser)
    assert client.post(reverse("live:materials", args=[room_meeting.pk]), {}).status_code == 302
    client.force_login(member)
    assert client.get(download).status_code == 200
    assert room_meeting.agenda_items.get(pk=items[0].pk).openings.get().user == member


def test_meeting_page_links_to_the_room(client, room_meeting, member):
    client.force_login(member)
    page = client.get(reverse("meeting_detail", args=[room_meeting.pk])).content.decode()
    assert reverse("live:now", args=[room_meeting.pk]) in page


def test_support_times_read_as_minutes_and_seconds(client, room_meeting, member, organiser):
    """Issue 16, finding 4: support times showed as "723 s"."""
    from datetime import timedelta

    client.force_login(member)
    url = reverse("live:support", args=[room_meeting.pk])
    client.post(url, {"category": "sound", "room": "第一会议室"})
    ticket = room_meeting.support_tickets.get()
    type(ticket).objects.filter(pk=ticket.pk).update(
        acknowledged_at=ticket.reported_at + timedelta(seconds=723)
    )
    for language, shown in (("zh-hans", "12 分 3 秒"), ("en", "12 min 3 s")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert shown in page and "723 s" not in page
