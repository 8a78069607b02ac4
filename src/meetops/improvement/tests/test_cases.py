"""The case library: nomination, approval never by the proposer, no confidential leaks,
sharing sessions (P9.5) and starting a meeting from a case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetops.agenda.services import replace_agenda
from meetops.core.errors import DomainError, PermissionDenied
from meetops.core.models import AuditEntry
from meetops.improvement import selectors
from meetops.improvement.services import cases as services
from meetops.meetings.services import update_meeting

pytestmark = pytest.mark.django_db

TEXTS = {"summary": "材料前置，限时汇报", "success_factors": "专人催收，主持人计时"}


@pytest.fixture
def case(meeting, organiser):
    return services.nominate_case(
        actor=organiser,
        meeting=meeting,
        title="总结会范例",
        tags="总结会, 议程",
        submit=True,
        **TEXTS,
    )


def test_nominate_and_publish_by_a_leader(case, leader, member, outsider):
    assert case.status == "submitted" and case.tag_list == ["总结会", "议程"]
    assert case not in selectors.cases_visible_to(member)  # not published yet
    published = services.decide_case(case, actor=leader, approve=True)
    assert published.status == "published" and published.decided_by == leader
    assert published in selectors.cases_visible_to(outsider)


def test_the_proposer_never_approves_their_own_case(make_user, meeting, make_meeting):
    boss = make_user("boss", roles=("leader", "organiser"))
    own = make_meeting(actor=boss, title="领导自己的会")
    case = services.nominate_case(actor=boss, meeting=own, title="自荐", submit=True, **TEXTS)
    with pytest.raises(PermissionDenied) as err:
        services.decide_case(case, actor=boss, approve=True)
    assert err.value.code == "self_approval"


def test_a_member_cannot_approve_and_returning_needs_a_note(case, member, leader):
    with pytest.raises(PermissionDenied):
        services.decide_case(case, actor=member, approve=True)
    with pytest.raises(DomainError):
        services.decide_case(case, actor=leader, approve=False)
    returned = services.decide_case(case, actor=leader, approve=False, note="补充数据")
    assert returned.status == "returned"


def test_confidential_meetings_cannot_become_cases(secret_meeting, organiser):
    with pytest.raises(DomainError) as err:
        services.nominate_case(actor=organiser, meeting=secret_meeting, title="x", **TEXTS)
    assert err.value.code == "case_confidential"


def test_a_case_whose_meeting_turned_confidential_is_neither_approved_nor_shown(
    case, meeting, organiser, leader, outsider, client
):
    services.decide_case(case, actor=leader, approve=True)
    update_meeting(meeting, actor=organiser, confidentiality="confidential")
    assert case not in selectors.cases_visible_to(outsider)
    client.force_login(outsider)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    assert "总结会范例" not in client.get(reverse("cases")).content.decode()
    # and a submitted one of a meeting made confidential is refused at approval
    update_meeting(meeting, actor=organiser, confidentiality="internal")
    second = services.nominate_case(
        actor=organiser, meeting=meeting, title="二", submit=True, **TEXTS
    )
    update_meeting(meeting, actor=organiser, confidentiality="confidential")
    with pytest.raises(DomainError) as err:
        services.decide_case(second, actor=leader, approve=True)
    assert err.value.code == "case_confidential"  # checked against the stored meeting, in the lock


def test_external_best_practice_needs_a_source(organiser, member):
    with pytest.raises(DomainError):
        services.nominate_case(actor=organiser, title="兄弟院校经验", **TEXTS)
    case = services.nominate_case(
        actor=organiser,
        title="兄弟院校经验",
        source="某大学办公室",
        source_url="https://example.org/x",
        **TEXTS,
    )
    assert case.kind == "external" and case.meeting is None
    with pytest.raises(PermissionDenied):
        services.nominate_case(actor=member, title="x", source="y", **TEXTS)


def test_sharing_session_is_a_training_or_conference(case, leader, organiser, make_meeting, member):
    services.decide_case(case, actor=leader, approve=True)
    with pytest.raises(DomainError) as err:
        services.link_sharing_session(case, actor=organiser, meeting=make_meeting(kind="regular"))
    assert err.value.code == "not_a_sharing_session"
    training = make_meeting(title="经验交流会", kind="training")
    with pytest.raises(PermissionDenied):
        services.link_sharing_session(case, actor=member, meeting=training)
    services.link_sharing_session(case, actor=organiser, meeting=training)
    assert selectors.sharings_of(case, member) == [training]


def test_use_as_template_copies_kind_goals_and_agenda(case, meeting, leader, organiser, client):
    replace_agenda(
        meeting,
        items=[
            {"title": "季度汇报", "duration_minutes": 30},
            {"title": "讨论", "duration_minutes": 20},
        ],
        actor=organiser,
    )
    services.decide_case(case, actor=leader, approve=True)
    start = (timezone.localtime() + timedelta(days=30)).replace(microsecond=0)
    new = services.start_meeting_from_case(
        case, actor=organiser, start=start, title="第四季度总结会"
    )
    assert (new.title, new.kind, new.stage) == ("第四季度总结会", meeting.kind, "draft")
    assert new.end - new.start == meeting.end - meeting.start
    assert list(new.agenda_items.order_by("order").values_list("title", flat=True)) == [
        "季度汇报",
        "讨论",
    ]


def test_case_pages_for_personas(case, leader, organiser, member, outsider, client):
    client.force_login(member)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404  # not published
    client.force_login(organiser)
    page = client.get(reverse("case_detail", args=[case.pk]))
    assert page.status_code == 200 and page.context["can_decide"] is False
    client.force_login(leader)
    assert len(client.get(reverse("cases")).context["waiting"]) == 1
    client.post(reverse("case_action", args=[case.pk, "approve"]), {"note": "推广"})
    case.refresh_from_db()
    assert case.status == "published"
    client.force_login(outsider)
    listing = client.get(reverse("cases"), {"tag": "议程"})
    assert [c.pk for c in listing.context["page"].object_list] == [case.pk]
    assert client.get(reverse("case_detail", args=[case.pk])).context["can_use"] is False


def test_case_list_query_count_is_pinned(
    meeting, organiser, leader, client, django_assert_max_num_queries
):
    for i in range(8):
        c = services.nominate_case(
            actor=organiser, meeting=meeting, title=f"案例{i}", tags=f"t{i}", submit=True, **TEXTS
        )
        services.decide_case(c, actor=leader, approve=True)
    client.force_login(organiser)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cases"))
    assert len(response.context["page"].object_list) == 8


def test_forms_render_for_the_people_who_use_them(
    meeting, organiser, leader, member, add_lesson, add_measure, client
):
    lesson = add_lesson(meeting)
    measure = add_measure(meeting)
    client.force_login(organiser)
    for url in (
        reverse("case_new") + f"?meeting={meeting.pk}",
        reverse("case_new"),
        reverse("lesson_edit", args=[lesson.pk]),
        reverse("measure_new"),
        reverse("measure_detail", args=[measure.pk]),
        reverse("meeting_lessons", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(member)
    assert client.get(reverse("case_new") + f"?meeting={meeting.pk}").status_code == 403
    assert client.get(reverse("lesson_edit", args=[lesson.pk])).status_code == 403
    assert client.get(reverse("measure_new")).status_code == 403


# --- P10.3: a best practice from elsewhere, end to end through the pages ------------------

PRACTICE = {
    "title": "兄弟院校：会议材料无纸化",
    "summary": "材料提前三天上传，扫码阅读",
    "success_factors": "统一上传入口与截止时间",
    "source": "某大学党政办公室",
    "source_url": "https://example.edu.cn/paperless",
    "tags": "无纸化, 会务",
    "submit": "on",
}


@pytest.fixture
def practice(organiser, leader, client):
    """Submitted through the page, as an organiser would (the leader is there to be told)."""
    client.force_login(organiser)
    answer = client.post(reverse("case_new"), PRACTICE)
    assert answer.status_code == 302
    return selectors.cases_visible_to(organiser).get(title=PRACTICE["title"])


def test_p10_3_submit_an_outside_practice_from_the_page(practice, organiser, leader):
    from meetops.notifications.models import OutboxMessage

    assert (practice.kind, practice.status, practice.meeting) == ("external", "submitted", None)
    assert practice.source == "某大学党政办公室" and practice.tag_list == ["无纸化", "会务"]
    told = OutboxMessage.objects.filter(event="improvement.case.waiting")
    assert leader.pk in set(told.values_list("user_id", flat=True))


def test_p10_3_an_approver_publishes_it_from_the_page_and_the_inbox(practice, leader, client):
    client.force_login(leader)
    assert practice in client.get(reverse("cases")).context["waiting"]
    assert client.get(reverse("approvals")).status_code == 200  # "Waiting for me" lists it
    page = client.get(reverse("case_detail", args=[practice.pk]))
    assert page.context["can_decide"] is True
    client.post(reverse("case_action", args=[practice.pk, "approve"]), {"note": "推广"})
    practice.refresh_from_db()
    assert practice.status == "published" and practice.decided_by == leader


def test_p10_3_found_in_the_library_by_text_source_tag_and_kind(practice, leader, outsider, client):
    services.decide_case(practice, actor=leader, approve=True)
    client.force_login(outsider)
    for query in ({"q": "无纸化"}, {"q": "某大学"}, {"tag": "会务"}, {"kind": "external"}):
        listing = client.get(reverse("cases"), query)
        assert [c.pk for c in listing.context["page"].object_list] == [practice.pk], query
    assert list(client.get(reverse("cases"), {"kind": "meeting"}).context["page"].object_list) == []
    assert "某大学党政办公室" in client.get(reverse("cases")).content.decode()


def test_p10_3_used_as_a_template_for_a_new_meeting(practice, leader, organiser, client):
    from meetops.meetings.models import Meeting, MeetingKind

    services.decide_case(practice, actor=leader, approve=True)
    client.force_login(organiser)
    page = client.get(reverse("case_detail", args=[practice.pk]))
    assert page.context["can_use"] is True and 'id="use-form"' in page.content.decode()
    start = (timezone.localtime() + timedelta(days=20)).replace(second=0, microsecond=0)
    use = reverse("case_action", args=[practice.pk, "use"])
    refused = client.post(use, {"start": start.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 90})
    assert (
        refused.status_code in (302, 422)
        and not Meeting.objects.filter(title=PRACTICE["title"]).exists()
    )  # no kind chosen
    kind = MeetingKind.objects.get(code="regular")
    answer = client.post(
        use,
        {"start": start.strftime("%Y-%m-%dT%H:%M"), "kind": kind.pk, "duration_minutes": 90},
    )
    new = Meeting.objects.get(title=PRACTICE["title"])
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "meeting_detail", args=[new.pk]
    )
    assert (new.kind, new.stage, new.goals) == (kind, "draft", PRACTICE["success_factors"])
    assert new.end - new.start == timedelta(minutes=90)
    assert "某大学党政办公室" in new.description and PRACTICE["summary"] in new.description
    assert AuditEntry.objects.filter(
        action="improvement.case.used_as_template", data__case=practice.pk
    ).exists()


def test_p10_3_template_through_the_api(practice, leader, organiser, api_as):
    services.decide_case(practice, actor=leader, approve=True)
    start = (timezone.now() + timedelta(days=9)).replace(microsecond=0).isoformat()
    api = api_as(organiser)
    missing = api.post(f"/api/v1/cases/{practice.pk}/use", {"start": start})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid_input"
    made = api.post(f"/api/v1/cases/{practice.pk}/use", {"start": start, "kind": "regular"})
    assert made.status_code == 201, made.content
    assert made.json()["agenda_items"] == 0
