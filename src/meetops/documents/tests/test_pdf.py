"""The 纪要 PDF measured as GB/T 9704-2012 says: read back from the file, not from our CSS."""

from __future__ import annotations

import itertools
import logging
import shutil
import subprocess

import pytest
from django.urls import reverse

from meetops.documents import page
from meetops.documents.tests.pdfread import read

pytestmark = pytest.mark.django_db

RED = (1.0, 0.0, 0.0)
LEFT, RIGHT = page.MARGIN_LEFT_MM, page.PAGE_WIDTH_MM - page.MARGIN_RIGHT_MM  # 28, 184
TOP, BOTTOM = page.MARGIN_TOP_MM, page.PAGE_HEIGHT_MM - page.MARGIN_BOTTOM_MM  # 37, 262


@pytest.fixture
def long_minutes(meeting, recorder, host, agenda_ids, on_leave, issuer):
    """Approved minutes long enough for three pages, so odd and even page numbers exist."""
    from meetops.minutes import services

    minutes = services.save_minutes(
        meeting,
        actor=recorder,
        sections=[
            {
                "agenda_item_id": agenda_ids[0],
                "title": "档案数字化方案",
                "notes": "\n".join(
                    f"第{i}项：办公室介绍了档案数字化方案的进度、经费和人员安排，"
                    "信息中心补充了技术路线。"
                    for i in range(1, 25)
                ),
                "decisions": [{"text": "同意启动档案数字化工作，由办公室牵头，年底前完成方案。"}],
            }
        ],
        summary="会议要求各部门按分工落实。",
    )
    services.submit_minutes(minutes, actor=recorder)
    return services.approve_minutes(minutes, actor=host)


def _pdf(client, user, meeting_id, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    client.force_login(user)
    response = client.get(reverse("minutes_pdf", args=[meeting_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _is_page_number(text: str) -> bool:
    return text.startswith("—") and text.endswith("—")


def test_the_minutes_pdf_measures_as_the_standard_says(client, recorder, long_minutes, caplog):
    content = _pdf(client, recorder, long_minutes.meeting_id, caplog)
    runs, rects, pages = read(content)
    assert pages >= 3
    body = [r for r in runs if not _is_page_number(r.text)]
    # Every line of text starts inside the 版心 (28…184 mm across, 37…262 mm down).
    for run in body:
        assert LEFT - 0.5 <= run.x_mm <= RIGHT, run
        assert TOP < run.baseline_mm <= BOTTOM + 0.5, run
    # 3号 body: 16 pt; the title 2号 (22 pt).
    text = [r for r in body if "办公室介绍了档案数字化方案" in r.text]
    assert text and {round(r.size_pt, 1) for r in text} == {16.0}
    title = next(r for r in body if r.text.startswith("关于") or "年度档案工作会议纪要" in r.text)
    assert round(title.size_pt, 1) == page.TITLE_PT
    # Lines on the 22-line grid: baselines a whole number of 10.23 mm pitches apart.
    pitch = page.TEXT_HEIGHT_MM / page.LINES_PER_PAGE
    lines = sorted({round(r.baseline_mm, 2) for r in body if r.page == 2})
    assert len(lines) > 15
    for a, b in itertools.pairwise(lines):
        steps = (b - a) / pitch
        assert abs(steps - round(steps)) < 0.03 and round(steps) >= 1, (a, b)
    # The 纪要标志 in red, its top about 35 mm below the top of the 版心.
    mark = next(r for r in body if r.text.endswith("会议纪要") and r.page == 1 and r.fill == RED)
    assert mark.baseline_mm - mark.size_pt * 25.4 / 72 == pytest.approx(TOP + 35, abs=3)
    # The red separator across the whole 版心, below the number line.
    rules = [r for r in rects if r.page == 1 and r.fill == RED and r.width_mm > 150]
    assert rules, rects[:5]
    assert rules[0].x_mm == pytest.approx(LEFT, abs=0.5)
    assert rules[0].width_mm == pytest.approx(page.TEXT_WIDTH_MM, abs=0.5)
    number = next(r for r in body if r.text == "第1期")
    assert number.baseline_mm < rules[0].top_mm
    # Nothing else is red.
    assert {r.fill for r in body if r is not mark and "纪要" not in r.text} == {(0.0, 0.0, 0.0)}
    # Every character had a glyph: none was drawn as a .notdef box.
    assert not [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]


def test_page_numbers_sit_right_on_odd_pages_and_left_on_even_ones(
    client, recorder, long_minutes, caplog
):
    content = _pdf(client, recorder, long_minutes.meeting_id, caplog)
    runs, _rects, pages = read(content)
    numbers = {r.page: r for r in runs if _is_page_number(r.text)}
    assert sorted(numbers) == list(range(1, pages + 1))
    for number, run in numbers.items():
        assert run.text.replace(" ", "") == f"—{number}—"
        assert round(run.size_pt) == page.IMPRINT_PT  # 4号
        # 7 mm below the 版心: the line of the number between 262 and about 275 mm.
        assert BOTTOM + 5 < run.baseline_mm < BOTTOM + 14, run
        if number % 2:
            assert run.x_mm > RIGHT - 30, run  # odd: at the right
        else:
            assert run.x_mm < LEFT + 10, run  # even: at the left, one character in


def test_the_people_lines_come_from_sign_ins_and_leave(
    client, recorder, approved, on_leave, issuer
):
    import io

    from pypdf import PdfReader

    client.force_login(recorder)
    content = client.get(reverse("minutes_pdf", args=[approved.meeting_id])).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    flat = text.replace("\n", "")
    # In protocol order: the host before the participants; leave with its reason.
    assert "出席：张明、王芳" in flat
    assert "请假：孙磊（出差）" in flat
    assert "缺席：李华" in flat
    assert "列席：吴敏" in flat
    assert "记录：冯雪" in flat
    assert "抄送：市档案局，各部门。" in flat
    assert "某某市信息中心" in flat and "印发" in flat


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler's pdffonts is not installed")
def test_the_pdf_embeds_the_free_faces_it_names(client, recorder, approved, issuer, tmp_path):
    client.force_login(recorder)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(client.get(reverse("minutes_pdf", args=[approved.meeting_id])).content)
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert {row[0].split("+", 1)[1] for row in rows} >= {"Noto-Serif-SC", "Noto-Serif-SC-Bold"}
    assert {row[-5] for row in rows} == {"yes"}  # every face embedded


@pytest.mark.django_db
def test_a_participant_made_host_and_recorder_later_heads_and_records(
    meeting, organiser, make_user
):
    from meetops.documents.people import people_lines
    from meetops.meetings.services import add_participant

    chair = make_user("chair", display_name="陈主任")
    add_participant(meeting, actor=organiser, user=chair, role="participant")
    add_participant(meeting, actor=organiser, user=chair, role="recorder")
    add_participant(meeting, actor=organiser, user=chair, role="host")
    lines = people_lines(meeting)
    assert "陈主任" in lines.recorders
    # The meeting's own host came first; the second host is placed by the role that comes first.
    assert lines.present.index("陈主任") < lines.present.index("王芳")
