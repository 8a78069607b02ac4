"""The seating pages: personas, the htmx board, printouts with real PDFs, the seat on the RSVP and sign-in pages."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from meetops.core.models import AuditEntry
from meetops.meetings import services as meeting_services
from meetops.seating import services
from meetops.seating.models import Seat, SeatAssignment

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("主持人", "host", "办公室"),
    ("代表甲", "participant", "财务处"),
    ("列席", "observer", "市局"),
]


@pytest.fixture
def arranged(seated_meeting, small_plan, organiser):
    def make(people=PEOPLE, **fields):
        meeting = seated_meeting(people, **fields)
        plan = small_plan(meeting, rostrum=3, rows=3, columns=5)
        services.auto_assign(plan, actor=organiser)
        return meeting, plan

    return make


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    assert content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_organiser_sees_the_board_member_a_read_only_map_outsider_nothing(
    client, arranged, organiser, member, outsider
):
    meeting, plan = arranged()
    url = f"/meetings/{meeting.pk}/seating/{plan.pk}/"
    client.force_login(organiser)
    page = client.get(url).content.decode()
    assert 'id="seat-form"' in page and "主持人" in page
    client.force_login(member)
    page = client.get(url).content.decode()
    assert 'id="seat-form"' not in page and "主持人" in page
    assert client.post(f"{url}auto/").status_code == 403
    secret, secret_plan = arranged(confidentiality="confidential")
    client.force_login(outsider)
    assert client.get(f"/meetings/{secret.pk}/seating/{secret_plan.pk}/").status_code == 404
    assert (
        client.get(f"/meetings/{secret.pk}/seating/{secret_plan.pk}/chart.pdf").status_code == 404
    )
    assert client.get(f"/meetings/{secret.pk}/seating/door/").status_code == 404
    assert client.post(f"/meetings/{secret.pk}/seating/{secret_plan.pk}/auto/").status_code == 404


def test_plan_page_query_count_does_not_grow_with_people(
    client, seated_meeting, small_plan, organiser, django_assert_max_num_queries
):
    small = seated_meeting(PEOPLE)
    small_p = small_plan(small, rostrum=3, rows=3, columns=5)
    services.auto_assign(small_p, actor=organiser)
    big = seated_meeting([(f"代表{i}", "participant", f"部门{i % 4}") for i in range(40)])
    big_p = small_plan(big, rostrum=5, rows=10, columns=10)
    services.auto_assign(big_p, actor=organiser)
    client.force_login(organiser)
    with django_assert_max_num_queries(25) as few:
        assert client.get(f"/meetings/{small.pk}/seating/{small_p.pk}/").status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/meetings/{big.pk}/seating/{big_p.pk}/").status_code == 200


def test_click_a_person_then_a_seat_with_htmx(
    client, seated_meeting, small_plan, organiser, person
):
    meeting = seated_meeting(PEOPLE)
    plan = small_plan(meeting, rostrum=3, rows=2, columns=4)
    seat = Seat.objects.get(plan=plan, section="audience", row=2, col=3)
    client.force_login(organiser)
    url = f"/meetings/{meeting.pk}/seating/{plan.pk}/click/"
    host = person(meeting, "主持人")
    response = client.post(
        url, {"seat": seat.pk, "participant": host.pk, "action": "assign"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="seating-board"')
    assert 'id="board-result"' in body and "主持人" in body
    assert SeatAssignment.objects.get(participant=host).seat == seat
    # A second person on the same seat: the message, the board unchanged.
    other = person(meeting, "代表甲")
    refused = client.post(
        url, {"seat": seat.pk, "participant": other.pk, "action": "assign"}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 409 and refused["HX-Retarget"] == "#main"
    assert 'class="flash error" role="alert" data-code="seat_taken"' in refused.content.decode()
    # Without a chosen person.
    refused = client.post(url, {"seat": seat.pk, "action": "assign"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert 'data-code="choose_first"' in refused.content.decode()
    # Clear, block, and the plain form fallback (no htmx) redirects back.
    response = client.post(url, {"seat": seat.pk, "action": "clear"})
    assert response.status_code == 302
    assert not SeatAssignment.objects.filter(participant=host).exists()
    client.post(url, {"seat": seat.pk, "action": "block"})
    assert Seat.objects.get(pk=seat.pk).kind == "blocked"


def test_layout_precedence_and_delete_forms(client, arranged, organiser, person):
    meeting, plan = arranged()
    client.force_login(organiser)
    base = f"/meetings/{meeting.pk}/seating/{plan.pk}/"
    response = client.post(
        f"{base}layout/",
        {
            "name": "大会堂",
            "rostrum_rows": 1,
            "rostrum_seats": 5,
            "rows": 4,
            "columns": 7,
            "aisle_columns": "4",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.rows, plan.columns, plan.aisle_columns) == ("大会堂", 4, 7, [4])
    observer = person(meeting, "列席")
    client.post(f"{base}precedence/", {f"rank-{observer.pk}": "1"})
    plan.refresh_from_db()
    assert plan.precedence == [observer.pk]
    # The same order again: nothing written, and the board says so.
    again = client.post(
        f"{base}precedence/",
        {f"rank-{observer.pk}": "1"},
        HTTP_HX_REQUEST="true",
        headers={"Accept-Language": "zh-hans"},
    )
    assert "未作修改" in again.content.decode()
    assert AuditEntry.objects.filter(action="seating.plan.precedence_set").count() == 1
    client.post(f"{base}delete/")
    assert not meeting.seat_plans.exists()


def test_new_plan_from_the_meeting(client, seated_meeting, organiser):
    meeting = seated_meeting(PEOPLE, expected_attendance=50)
    client.force_login(organiser)
    response = client.post(f"/meetings/{meeting.pk}/seating/", {"room": ""})
    plan = meeting.seat_plans.get()
    assert response.status_code == 302 and response.url.endswith(f"/seating/{plan.pk}/")
    assert Seat.objects.filter(plan=plan, section="audience", kind="seat").count() >= 50
    detail = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"/meetings/{meeting.pk}/seating/" in detail


def test_chart_and_name_cards_are_real_pdfs_with_the_names(client, arranged, organiser):
    meeting, plan = arranged()
    client.force_login(organiser)
    response = client.get(f"/meetings/{meeting.pk}/seating/{plan.pk}/chart.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for name in ("主持人", "代表甲", "列席"):
        assert name in text
    cards = client.get(f"/meetings/{meeting.pk}/seating/{plan.pk}/cards.pdf")
    text = _pdf_text(cards.content)
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(cards.content)).pages) == 3  # one folded A4 per person
    assert "主持人" in text
    door = client.get(f"/meetings/{meeting.pk}/seating/door.pdf")
    assert "代表甲" in _pdf_text(door.content)
    page = client.get(f"/meetings/{meeting.pk}/seating/door/").content.decode()
    assert page.index("主持人") > 0 and "代表甲" in page


def test_two_character_names_are_spaced_on_the_card():
    from meetops.seating.exports import card_name

    assert card_name("王芳") == "王\u3000芳"
    assert card_name("欧阳明月") == "欧阳明月"
    assert card_name("Li") == "Li"


def test_the_rsvp_page_shows_the_seat(client, arranged, person):
    from meetops.invitations.models import Invitation

    meeting, _plan = arranged()
    host = person(meeting, "主持人")
    label = SeatAssignment.objects.select_related("seat").get(participant=host).seat.label
    token = Invitation.objects.get(participant=host).token
    page = client.get(f"/rsvp/{token}").content.decode()
    assert 'id="your-seat"' in page and label in page


def test_checkin_page_and_desk_result_show_the_seat(client, arranged, organiser, person):
    from meetops.invitations.models import Invitation

    start = timezone.now().replace(microsecond=0) + timezone.timedelta(minutes=20)
    meeting, _plan = arranged(start=start)
    guest = person(meeting, "代表甲")
    label = SeatAssignment.objects.select_related("seat").get(participant=guest).seat.label
    code = Invitation.objects.get(participant=guest).checkin_code
    # The person's own view of the QR target
    page = client.get(f"/checkin/{code}").content.decode()
    assert 'id="your-seat"' in page and label in page
    # Staff sign them in at the desk: the result banner says where to guide them
    client.force_login(organiser)
    body = client.post(
        f"/meetings/{meeting.pk}/signin/scan/", {"code": code}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="desk-seat"' in body and label in body
    page = client.get(f"/checkin/{code}").content.decode()
    assert label in page


def test_staff_of_the_meeting_may_arrange(client, arranged, organiser, make_user):
    meeting, plan = arranged()
    helper = make_user("huiwu")
    meeting_services.add_participant(meeting, actor=organiser, user=helper, role="staff")
    client.force_login(helper)
    assert (
        client.post(
            f"/meetings/{meeting.pk}/seating/{plan.pk}/auto/", {"keep_manual": "on"}
        ).status_code
        == 302
    )
