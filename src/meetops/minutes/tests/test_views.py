"""The minutes pages: editor, review, published view, actions pages; personas and input kept on errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.minutes import services
from meetops.minutes.models import Minutes

pytestmark = pytest.mark.django_db


def _editor_post(agenda_ids, **extra):
    data = {
        "revision": "0",
        "sections": "2",
        "notes": "",
        "summary": "主持人总结",
        "action_plan": "",
        "s0-agenda_item": str(agenda_ids[0]),
        "s0-title": "上季度总结",
        "s0-notes": "完成率百分之九十五",
        "s0-decisions": "1",
        "s0-d0-text": "通过上季度总结",
        "s0-d0-for": "8",
        "s0-d0-against": "",
        "s0-d0-abstain": "",
        "s1-agenda_item": "",
        "s1-title": "",
        "s1-notes": "",
        "s1-decisions": "1",
        "s1-d0-text": "",
    }
    data.update(extra)
    return data


def test_recorder_sees_the_editor_with_one_section_per_agenda_item(client, meeting, recorder):
    client.force_login(recorder)
    body = client.get(reverse("minutes", args=[meeting.pk])).content.decode()
    assert 'name="s0-title" value="上季度总结"' in body
    assert 'name="s1-title" value="预算讨论"' in body
    assert "会议总结（主持人）" in body  # the page speaks the reader's language
    assert "<h1>会议纪要</h1>" in body  # not the agenda's "Minutes" (分钟)


def test_saving_from_the_editor_keeps_decisions_with_votes(client, meeting, recorder, agenda_ids):
    client.force_login(recorder)
    response = client.post(reverse("minutes", args=[meeting.pk]), _editor_post(agenda_ids))
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    section = minutes.sections.get()
    decision = section.decisions.get()
    assert (section.agenda_item_id, decision.text, decision.votes_for) == (
        agenda_ids[0],
        "通过上季度总结",
        8,
    )
    assert minutes.summary == "主持人总结"


def test_a_validation_error_keeps_every_typed_character(client, meeting, recorder, agenda_ids):
    client.force_login(recorder)
    post = _editor_post(agenda_ids, **{"s0-d0-for": "八票", "s0-notes": "很长的讨论记录，不能丢"})
    response = client.post(
        reverse("minutes", args=[meeting.pk]), post, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "票数须为不小于 0 的整数。" in body
    assert "很长的讨论记录，不能丢" in body
    assert 'value="八票"' in body
    assert "主持人总结" in body
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_htmx_save_returns_the_editor_fragment(client, meeting, recorder, agenda_ids):
    client.force_login(recorder)
    response = client.post(
        reverse("minutes", args=[meeting.pk]),
        _editor_post(agenda_ids),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.startswith('<section id="minutes-editor"')
    assert "会议纪要已保存。" in body
    assert 'name="revision" value="1"' in body


def test_host_reviews_and_approves_from_the_page(client, written, recorder, host):
    services.submit_minutes(written, actor=recorder)
    client.force_login(host)
    page = client.get(reverse("minutes", args=[written.meeting_id])).content.decode()
    assert 'name="approve-minutes"' in page
    response = client.post(reverse("minutes_move", args=[written.meeting_id, "approve"]))
    assert response.status_code == 302
    written.refresh_from_db()
    assert written.state == "approved"


def test_a_refused_move_shows_the_message(client, written, recorder):
    client.force_login(recorder)
    response = client.post(
        reverse("minutes_move", args=[written.meeting_id, "approve"]), follow=True
    )
    assert "您没有执行此操作的权限" in response.content.decode() or response.status_code == 200
    written.refresh_from_db()
    assert written.state == "draft"


def test_personas_on_the_minutes_page(client, written, member, outsider, make_meeting):
    url = reverse("minutes", args=[written.meeting_id])
    client.force_login(member)
    assert "会议纪要尚未发布。" in client.get(url).content.decode()
    assert client.post(url, {"sections": "0"}).status_code == 403
    assert (
        client.post(reverse("minutes_move", args=[written.meeting_id, "submit"])).status_code == 403
    )
    assert client.get(reverse("minutes_pdf", args=[written.meeting_id])).status_code == 404
    secret = make_meeting(confidentiality="confidential")
    client.force_login(outsider)
    assert client.get(reverse("minutes", args=[secret.pk])).status_code == 404
    assert client.post(reverse("minutes", args=[secret.pk]), {"sections": "0"}).status_code == 404


def test_published_minutes_are_read_only_for_participants(client, written, recorder, host, member):
    services.submit_minutes(written, actor=recorder)
    services.approve_minutes(written, actor=host)
    services.publish_minutes(written, actor=host)
    client.force_login(member)
    body = client.get(reverse("minutes", args=[written.meeting_id])).content.decode()
    assert "同意增加差旅预算十万元" in body
    assert "赞成 7，反对 1，弃权 0" in body
    assert "<textarea" not in body


def test_history_lists_revisions_for_writers(client, written, recorder, member):
    client.force_login(recorder)
    body = client.get(reverse("minutes_history", args=[written.meeting_id])).content.decode()
    assert "recorder" in body
    client.force_login(member)
    assert client.get(reverse("minutes_history", args=[written.meeting_id])).status_code == 403


def test_meeting_actions_page_creates_and_owner_updates_on_my_actions(
    client, meeting, recorder, member
):
    client.force_login(recorder)
    response = client.post(
        reverse("meeting_actions", args=[meeting.pk]),
        {"title": "拿出预算方案", "owner": str(member.pk), "due_date": "2030-01-15"},
    )
    assert response.status_code == 302
    action = meeting.action_items.get()
    client.force_login(member)
    body = client.get(reverse("my_actions")).content.decode()
    assert "拿出预算方案" in body and "2030-01-15" in body
    response = client.post(
        reverse("action_update", args=[action.pk]),
        {"state": "done", "completion_note": "", "next": "/actions/"},
    )
    assert response.status_code == 422  # no page to go back to: the error page says why
    assert 'data-code="completion_note_required"' in response.content.decode()
    action.refresh_from_db()
    assert action.state == "open"  # refused: a note is needed
    back = client.post(
        reverse("action_update", args=[action.pk]),
        {"state": "done", "completion_note": ""},
        HTTP_REFERER="http://testserver/actions/",
    )
    assert (back.status_code, back["Location"]) == (303, "http://testserver/actions/")
    client.post(
        reverse("action_update", args=[action.pk]), {"state": "done", "completion_note": "已交"}
    )
    action.refresh_from_db()
    assert action.state == "done"


def test_member_cannot_add_actions(client, meeting, member):
    client.force_login(member)
    page = client.get(reverse("meeting_actions", args=[meeting.pk])).content.decode()
    assert 'id="new-action"' not in page
    assert (
        client.post(reverse("meeting_actions", args=[meeting.pk]), {"title": "x"}).status_code
        == 403
    )


def test_pages_do_not_grow_queries_with_rows(
    client, written, recorder, member, django_assert_max_num_queries
):
    for i in range(10):
        services.create_action(written.meeting, actor=recorder, title=f"事项{i}", owner=member)
    client.force_login(recorder)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("minutes", args=[written.meeting_id])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("meeting_actions", args=[written.meeting_id])).status_code == 200
    client.force_login(member)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("my_actions")).status_code == 200


def test_meeting_detail_links_to_minutes_and_actions(client, meeting, member):
    client.force_login(member)
    body = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("minutes", args=[meeting.pk]) in body
    assert reverse("meeting_actions", args=[meeting.pk]) in body


def test_my_actions_do_not_name_a_meeting_the_owner_cannot_see(
    client, make_meeting, organiser, make_user
):
    # Issue 14: the owner of an item of a confidential meeting they are not on sees the item,
    # not the meeting's title nor a link to it; the organiser still reads the title.
    secret = make_meeting(title="绝密人事调整会议", confidentiality="confidential")
    clerk = make_user("clerk", roles=("member",))
    services.create_action(secret, actor=organiser, title="整理调整名单", owner=clerk)
    client.force_login(clerk)
    body = client.get(reverse("my_actions")).content.decode()
    assert "整理调整名单" in body and "您无权查看的会议" in body
    assert "绝密人事调整会议" not in body
    assert reverse("meeting_actions", args=[secret.pk]) not in body
    services.create_action(secret, actor=organiser, title="起草通知", owner=organiser)
    client.force_login(organiser)
    body = client.get(reverse("my_actions")).content.decode()
    assert "绝密人事调整会议" in body and reverse("meeting_actions", args=[secret.pk]) in body
