"""The desk pages, `/checkin/<code>` for staff, the person and strangers, the sheet and its exports."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from meetops.attendance import selectors, services
from meetops.attendance.models import Method, SignIn
from meetops.invitations.models import Invitation
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


# --- /checkin/<code> -------------------------------------------------------------


def test_staff_opening_the_code_sees_the_person_and_signs_in_with_one_tap(
    client, desk_meeting, guest, code_of, organiser
):
    meeting = desk_meeting(1)
    code = code_of(guest(meeting, 1))
    client.force_login(organiser)
    page = client.get(f"/checkin/{code}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "嘉宾1" in text and "办公室" in text and 'id="checkin-button"' in text
    assert not SignIn.objects.exists()  # opening the link never signs in
    done = client.post(f"/checkin/{code}", follow=True)
    signin = SignIn.objects.get()
    assert (signin.method, signin.by) == (Method.DESK_MANUAL, organiser)
    assert 'data-state="signed"' in done.content.decode()
    # A second tap (or a second scan) answers with the first time, not an error.
    again = client.post(f"/checkin/{code}", follow=True)
    assert again.status_code == 200 and SignIn.objects.count() == 1


def test_anonymous_visitor_is_told_to_show_the_code_at_the_desk(
    client, desk_meeting, guest, code_of
):
    meeting = desk_meeting(1)
    page = client.get(f"/checkin/{code_of(guest(meeting, 1))}")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-state="desk"' in text and "checkin-button" not in text
    assert "13800138001" not in text  # no phone number for strangers
    refused = client.post(f"/checkin/{code_of(guest(meeting, 1))}")
    assert refused.status_code == 409
    assert 'data-code="self_signin_closed"' in refused.content.decode()
    assert "自助签到未开放，请在签到台出示此码。" in refused.content.decode()
    back = client.post(
        f"/checkin/{code_of(guest(meeting, 1))}",
        HTTP_REFERER=f"http://testserver/checkin/{code_of(guest(meeting, 1))}",
        follow=True,
    )
    assert 'data-state="desk"' in back.content.decode()  # the code's page again, with the message
    assert "自助签到未开放，请在签到台出示此码。" in back.content.decode()
    assert not SignIn.objects.exists()


def test_participant_signs_themself_in_when_the_meeting_allows_it(
    client, desk_meeting, guest, code_of, organiser
):
    meeting = desk_meeting(1)
    services.update_desk_settings(
        meeting, actor=organiser, self_signin=True, grace_minutes=5, opens_minutes=60
    )
    code = code_of(guest(meeting, 1))
    assert 'id="checkin-button"' in client.get(f"/checkin/{code}").content.decode()
    done = client.post(f"/checkin/{code}", follow=True)
    assert 'data-state="signed"' in done.content.decode()
    signin = SignIn.objects.get()
    assert (signin.method, signin.by) == (Method.SELF_LINK, None)


def test_a_member_who_is_not_desk_staff_gets_the_participant_view(
    client, desk_meeting, guest, code_of, member
):
    meeting = desk_meeting(1)
    client.force_login(member)
    page = client.get(f"/checkin/{code_of(guest(meeting, 1))}")
    assert 'data-state="desk"' in page.content.decode()
    client.post(f"/checkin/{code_of(guest(meeting, 1))}")
    assert not SignIn.objects.exists()


def test_unknown_or_revoked_code_is_404(client, desk_meeting, guest, code_of, organiser):
    meeting = desk_meeting(1)
    assert client.get("/checkin/not-a-code").status_code == 404
    code = code_of(guest(meeting, 1))
    invites.revoke_invitation(Invitation.objects.get(checkin_code=code), actor=organiser)
    assert client.get(f"/checkin/{code}").status_code == 404


def test_the_rsvp_qr_points_at_a_page_that_exists(client, desk_meeting, guest, organiser):
    from meetops.invitations.qr import checkin_url

    meeting = desk_meeting(1)
    url = checkin_url(Invitation.objects.get(participant=guest(meeting, 1)))
    path = "/checkin/" + url.rsplit("/checkin/", 1)[1]
    assert client.get(path).status_code == 200


# --- the desk ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("organiser", 200), ("staff", 200), ("member", 403), ("outsider", 404)]
)
def test_desk_page_by_persona(client, desk_meeting, organiser, make_user, persona, status):
    meeting = desk_meeting(2, confidentiality="restricted")
    user = organiser
    if persona != "organiser":
        user = make_user(persona)
    if persona in ("staff", "member"):
        role = MeetingRole.STAFF if persona == "staff" else MeetingRole.PARTICIPANT
        meetings.add_participant(meeting, actor=organiser, user=user, role=role)
    client.force_login(user)
    response = client.get(f"/meetings/{meeting.pk}/signin/")
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert 'id="scan-input"' in text and "13800138001" in text
        # Issue 16 finding 10: the desk staff register walk-ins too.
        assert ('id="walk-in"' in text) == (persona in ("organiser", "staff"))


def test_scanning_a_code_updates_the_counts_and_moves_the_row(
    client, desk_meeting, guest, code_of, organiser, settings
):
    meeting = desk_meeting(2)
    client.force_login(organiser)
    url = f"{settings.SITE_URL}/checkin/{code_of(guest(meeting, 1))}"
    response = client.post(f"/meetings/{meeting.pk}/signin/scan/", {"code": url}, headers=HTMX)
    text = response.content.decode()
    assert 'id="count-signed">1<' in text and 'id="count-pending">1<' in text
    assert f'id="person-{guest(meeting, 1).pk}" data-state="signed"' in text
    assert 'data-created="1"' in text
    again = client.post(f"/meetings/{meeting.pk}/signin/scan/", {"code": url}, headers=HTMX)
    assert 'data-created="0"' in again.content.decode()
    unknown = client.post(f"/meetings/{meeting.pk}/signin/scan/", {"code": "zzz"}, headers=HTMX)
    assert 'data-code="unknown_code"' in unknown.content.decode()
    assert SignIn.objects.count() == 1


def test_search_by_name_or_phone_and_sign_in_with_one_tap(client, desk_meeting, guest, organiser):
    meeting = desk_meeting(3)
    client.force_login(organiser)
    found = client.get(f"/meetings/{meeting.pk}/signin/search/", {"q": "138001380 02"}).content
    assert "嘉宾2" in found.decode() and "嘉宾1" not in found.decode()
    by_name = client.get(f"/meetings/{meeting.pk}/signin/search/", {"q": "嘉宾3"}).content.decode()
    assert "嘉宾3" in by_name
    response = client.post(
        f"/meetings/{meeting.pk}/signin/people/{guest(meeting, 2).pk}/", headers=HTMX
    )
    assert 'id="count-signed">1<' in response.content.decode()
    assert SignIn.objects.get().participant == guest(meeting, 2)


def test_walk_in_and_undo_from_the_desk(client, desk_meeting, guest, organiser):
    meeting = desk_meeting(1)
    client.force_login(organiser)
    response = client.post(
        f"/meetings/{meeting.pk}/signin/walk-in/",
        {"name": "临时来宾", "phone": "137", "organisation": "外单位", "substitute_for": ""},
        headers=HTMX,
    )
    assert 'id="count-walkins">1<' in response.content.decode()
    signin = SignIn.objects.get()
    response = client.post(
        f"/meetings/{meeting.pk}/signin/{signin.pk}/undo/",
        {"reason": "误登记"},
        headers={**HTMX, "Accept-Language": "zh-hans"},
    )
    page = response.content.decode()
    assert 'id="count-walkins">0<' in page
    # Issue 16, finding 8: the banner said "已经签到过了（）。" after an undo.
    assert "已撤销 临时来宾 的签到" in page and "已经签到过了" not in page
    assert SignIn.objects.get().undo_reason == "误登记"


def test_desk_settings_form(client, desk_meeting, organiser):
    meeting = desk_meeting(0)
    client.force_login(organiser)
    client.post(
        f"/meetings/{meeting.pk}/signin/settings/",
        {"self_signin": "on", "grace_minutes": "10", "opens_minutes": "30"},
    )
    desk = selectors.settings_of(meetings.Meeting.objects.get(pk=meeting.pk))
    assert (desk.self_signin, desk.grace_minutes, desk.opens_minutes) == (True, 10, 30)


def test_desk_page_query_count_does_not_grow_with_people(
    client, desk_meeting, organiser, django_assert_max_num_queries
):
    meeting = desk_meeting(3)
    services.sign_in(meeting, participant=meeting.participants.get(name="嘉宾1"), actor=organiser)
    client.force_login(organiser)
    with django_assert_max_num_queries(30) as small:
        assert client.get(f"/meetings/{meeting.pk}/signin/").status_code == 200
    for i in range(30):
        p = meetings.add_participant(meeting, actor=organiser, name=f"n{i}", phone=f"1390{i}")
        if i % 2:
            services.sign_in(meeting, participant=p, actor=organiser)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/meetings/{meeting.pk}/signin/").status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/meetings/{meeting.pk}/signin/", headers=HTMX).status_code == 200


def test_meeting_page_links_the_desk_for_desk_staff_only(client, desk_meeting, organiser, member):
    meeting = desk_meeting(0)
    client.force_login(organiser)
    link = f"/meetings/{meeting.pk}/signin/"
    assert link in client.get(f"/meetings/{meeting.pk}/").content.decode()
    client.force_login(member)
    assert link not in client.get(f"/meetings/{meeting.pk}/").content.decode()


# --- the sheet and its exports --------------------------------------------------


def test_excel_export_has_one_row_per_person(client, desk_meeting, guest, organiser):
    meeting = desk_meeting(2, starts_in=timedelta(minutes=-20))
    services.sign_in(meeting, participant=guest(meeting, 1), actor=organiser)
    services.admit_walk_in(
        meeting, actor=organiser, name="=HYPERLINK(1)", substitute_for=guest(meeting, 2)
    )
    client.force_login(organiser)
    response = client.get(f"/meetings/{meeting.pk}/signin/attendance.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows[0]) == 11
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"嘉宾1", "嘉宾2", "'=HYPERLINK(1)"}
    first = by_name["嘉宾1"]
    assert first[1] == "办公室" and first[5] and first[7] in ("是", "Yes")
    assert by_name["嘉宾2"][5] is None  # not signed in: empty cell
    assert by_name["'=HYPERLINK(1)"][8] == "嘉宾2"


def test_paper_sheet_prints_everyone_with_a_signature_column(client, desk_meeting, organiser):
    meeting = desk_meeting(3)
    client.force_login(organiser)
    page = client.get(f"/meetings/{meeting.pk}/signin/sheet/").content.decode()
    assert page.count('<td class="sign"></td>') == 3 + 5  # everyone plus blank lines
    assert "嘉宾3" in page


def test_paper_sheet_pdf(client, desk_meeting, organiser):
    from pypdf import PdfReader

    meeting = desk_meeting(2)
    client.force_login(organiser)
    response = client.get(f"/meetings/{meeting.pk}/signin/sheet.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert "嘉宾1" in reader.pages[0].extract_text()


def test_without_javascript_a_refused_code_comes_back_in_its_box(client, desk_meeting, organiser):
    """The desk's no-JS fallback redirects a refusal to the desk: the typed code is kept."""
    meeting = desk_meeting(1)
    client.force_login(organiser)
    desk = f"/meetings/{meeting.pk}/signin/"
    refused = client.post(f"{desk}scan/", {"code": "123 457"})
    assert refused.status_code == 302 and refused["Location"] == desk
    page = client.get(desk).content.decode()
    scan = page.split('id="scan-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="code"' in scan and 'value="123 457"' in scan
    assert "flash error" in page  # and the refusal said above it
    # Once: the next visit shows an empty box for the next person.
    again = client.get(desk).content.decode().split('id="scan-form"', 1)[1]
    assert "123 457" not in again.split("</form>", 1)[0]
    assert not SignIn.objects.exists()
