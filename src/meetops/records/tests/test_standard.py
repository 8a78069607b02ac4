"""Records per DA/T 22-2015 and DA/T 70-2018: the 档号 from its parts, numbered per 件 within
year × retention × department; the 归档章 on filed PDFs; the 归档文件目录; 四性检测 at filing;
the 销毁清册 with two 监销人, exported with checksums."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.meetings.models import Meeting
from meetops.people.services import create_department
from meetops.records import inspection, registers, services
from meetops.records.models import Category, Document, IntegrityReport
from meetops.records.tests.conftest import blank_pdf, conclude, docx_bytes, upload

SHANGHAI = ZoneInfo("Asia/Shanghai")
CATALOGUE_COLUMNS = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]
REGISTER_COLUMNS = [
    "序号",
    "档号",
    "文号",
    "责任者",
    "题名",
    "日期",
    "页数",
    "保管期限",
    "销毁原因",
    "批准人",
    "监销人",
    "销毁时间",
    "SHA-256",
    "备注",
]


@pytest.fixture
def office(admin_user, archivist):
    department = create_department(name="办公室", actor=admin_user)
    services.save_department_code(department, actor=archivist, code="bgs")
    return department


@pytest.fixture
def standard(archivist):
    return services.save_scheme(
        actor=archivist,
        file_name_pattern="{date}_{meeting}_{category}_{seq:02d}.{ext}",
        number_pattern="{year}-{kind}-{seq:04d}",
        item_pattern="{fonds}-{class}·{year}-{retention}-{org}-{seq:04d}",
        fonds_code="Z109",
        fonds_name="某市人民政府办公室",
        class_code="WS",
    )


def _meeting(make_meeting, department, *, year=2026, title="办公会"):
    start = datetime(year, 12, 20, 9, tzinfo=SHANGHAI)
    meeting = make_meeting(title=title, department=department)
    Meeting.objects.filter(pk=meeting.pk).update(start=start, end=start + timedelta(hours=2))
    return conclude(meeting)


def _minutes(dossier, actor, title="关于数字校园建设的会议纪要", data=None):
    return services.add_document(
        dossier,
        actor=actor,
        category=Category.objects.get(code="minutes"),
        title=title,
        upload=upload("纪要.pdf", data or blank_pdf()),
    )


@pytest.mark.django_db
def test_the_standard_archive_number_is_produced(
    make_meeting, organiser, archivist, office, standard
):
    dossier, _gathered = services.file_meeting(_meeting(make_meeting, office), actor=organiser)
    document = _minutes(dossier, archivist)
    assert document.archive_number == "Z109-WS\u00b72026-Y-BGS-0001"
    assert document.item_number == 1 and document.retention.code_in_number == "Y"
    assert AuditEntry.objects.filter(action="records.scheme.saved").exists()
    assert AuditEntry.objects.filter(action="records.department_code.saved").exists()


@pytest.mark.django_db
def test_items_are_counted_per_year_retention_and_department(
    make_meeting, organiser, archivist, admin_user, office, standard
):
    first, _ = services.file_meeting(_meeting(make_meeting, office), actor=organiser)
    second, _ = services.file_meeting(
        _meeting(make_meeting, office, title="第二次办公会"), actor=organiser
    )
    assert _minutes(first, archivist).archive_number.endswith("2026-Y-BGS-0001")
    # Another meeting of the same department, year and retention continues the count: per 件.
    assert _minutes(second, archivist).archive_number.endswith("2026-Y-BGS-0002")
    other = services.add_document(
        first,
        actor=archivist,
        category=Category.objects.get(code="other"),
        title="其他材料",
        upload=upload("其他.pdf", blank_pdf()),
    )
    d10 = Document.objects.filter(archive_number__contains="2026-D10-BGS-").count()
    assert other.archive_number == f"Z109-WS·2026-D10-BGS-{d10:04d}"

    finance = create_department(name="财务处", actor=admin_user)
    services.save_department_code(finance, actor=archivist, code="CWC")
    third, _ = services.file_meeting(
        _meeting(make_meeting, finance, title="财务处会议"), actor=organiser
    )
    assert _minutes(third, archivist).archive_number == "Z109-WS·2026-Y-CWC-0001"
    last_year, _ = services.file_meeting(
        _meeting(make_meeting, office, year=2025, title="去年的会"), actor=organiser
    )
    assert _minutes(last_year, archivist).archive_number == "Z109-WS·2025-Y-BGS-0001"

    # No department code: the 机构 part is left out with its separator (§5.4).
    plain, _ = services.file_meeting(
        _meeting(make_meeting, None, title="无部门会议"), actor=organiser
    )
    assert _minutes(plain, archivist).archive_number == "Z109-WS·2026-Y-0001"


@pytest.mark.django_db
def test_the_rule_and_the_department_code_are_checked(archivist, office, standard):
    with pytest.raises(DomainError) as exc:
        services.save_scheme(
            actor=archivist,
            file_name_pattern=standard.file_name_pattern,
            number_pattern=standard.number_pattern,
            item_pattern="{fonds}-{class}.{year}-{retention}-{seq:04d}",
        )
    assert exc.value.code == "separator_not_middle_dot"
    with pytest.raises(DomainError) as exc:
        services.save_department_code(office, actor=archivist, code="办公")
    assert exc.value.code == "invalid_code"


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_item_number(
    make_meeting, organiser, archivist, office, standard
):
    dossier, _ = services.file_meeting(_meeting(make_meeting, office), actor=organiser)
    document = _minutes(dossier, archivist)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            dossier=dossier,
            category=document.category,
            seq=99,
            title="重复",
            source="upload",
            archive_number=document.archive_number,
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_filing_never_duplicates_an_item_number(
    make_meeting, organiser, archivist, admin_user
):
    office = create_department(name="办公室", actor=admin_user)
    services.save_department_code(office, actor=archivist, code="BGS")
    dossiers = [
        services.file_meeting(_meeting(make_meeting, office, title=f"并发{i}"), actor=organiser)[0]
        for i in range(4)
    ]
    before = set(Document.objects.values_list("archive_number", flat=True))
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(dossiers) * 2)

    def add(dossier, n):
        try:
            barrier.wait()
            for _attempt in range(30):
                try:
                    _minutes(dossier, archivist, title=f"纪要{n}")
                    return
                except Exception as exc:  # SQLite: "database is locked" under contention
                    if "locked" not in str(exc):
                        raise
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(d, n)) for n, d in enumerate(dossiers * 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    new = sorted(
        n for n in Document.objects.values_list("archive_number", flat=True) if n not in before
    )
    assert new == [f"WS·2026-Y-BGS-{n:04d}" for n in range(1, 9)]  # no 全宗号 set: left out


@pytest.mark.django_db
def test_the_filing_stamp_is_on_the_first_page_of_a_filed_pdf(
    make_meeting, organiser, archivist, office, standard
):
    dossier, _ = services.file_meeting(_meeting(make_meeting, office), actor=organiser)
    document = _minutes(dossier, archivist, data=blank_pdf(pages=3))
    version = document.current
    with version.file.open("rb") as f:
        stored = f.read()
    assert hashlib.sha256(stored).hexdigest() == version.sha256  # the stamped file is the record
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 3 and document.pages == 3
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    reader.pages[0].extract_text(visitor_text=visit)
    # 全宗号 年度 件号 on the first row; 机构 保管期限 页数 on the second.
    assert [t.split() for t, _x, _y in found] == [["Z109", "2026", "0001"], ["BGS", "Y", "3"]]
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert all(x > width / 2 and y > height * 0.85 for _t, x, y in found)  # top right
    assert reader.pages[1].extract_text().strip() == ""  # only the first page is stamped
    corrected = services.correct_document(
        document, actor=archivist, upload=upload("纪要.pdf", blank_pdf()), reason="改正错字"
    )
    with corrected.file.open("rb") as f:
        first = PdfReader(io.BytesIO(f.read())).pages[0].extract_text()
    assert "Z109" in first and "0001" in first  # the correction carries the same stamp


@pytest.mark.django_db
def test_checks_pass_and_the_report_is_kept_and_shown(
    client, make_meeting, organiser, archivist, office, standard
):
    dossier, _ = services.file_meeting(_meeting(make_meeting, office), actor=organiser)
    _minutes(dossier, archivist)
    report = IntegrityReport.objects.filter(dossier=dossier).first()
    assert report is not None and report.passed
    assert [r["check"] for r in report.results] == [
        "authenticity",
        "integrity",
        "usability",
        "security",
    ]
    client.force_login(archivist)
    page = client.get(f"/archive/dossiers/{dossier.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert 'id="checks"' in html and 'data-passed="no"' not in html
    assert html.count('data-passed="yes"') == 4


def _macro_docx() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes("正文")), "r") as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def test_macros_and_programs_fail_the_security_check():
    """The upload gate already refuses these by type; files gathered from other apps meet the
    same check at filing."""
    report = inspection.inspect_files(
        [
            inspection.Candidate("宏.docx", "docx", _macro_docx(), "宏", "other"),
            inspection.Candidate("程序.txt", "txt", b"MZ\x90\x00", "程序", "other"),
            inspection.Candidate("正文.docx", "docx", docx_bytes("正文"), "正文", "other"),
        ]
    )
    assert not report.passed
    assert report.findings["security"] == ["宏.docx 含有宏。", "程序.txt 是可执行程序。"]
    assert report.findings["usability"] == [] and report.findings["integrity"] == []


@pytest.mark.parametrize(
    ("name", "data", "check"),
    [
        ("损坏.pdf", b"%PDF-1.4\nnot really a pdf\n%%EOF\n", "usability"),
        ("脚本.pdf", None, "security"),
    ],
)
@pytest.mark.django_db
def test_failing_checks_block_filing_with_the_list(
    make_meeting, organiser, archivist, office, standard, name, data, check
):
    if name == "脚本.pdf":
        data = blank_pdf().replace(
            b"/Type /Page", b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> /Type /Page", 1
        )
    dossier, _ = services.file_meeting(_meeting(make_meeting, office), actor=organiser)
    count = Document.objects.count()
    with pytest.raises(DomainError) as exc:
        services.add_document(
            dossier,
            actor=archivist,
            category=Category.objects.get(code="other"),
            title="附件",
            upload=upload(name, data),
        )
    assert exc.value.code == "archive_checks_failed"
    failed = {r["check"] for r in exc.value.details["findings"] if not r["passed"]}
    assert failed == {check}
    assert name in exc.value.message
    assert Document.objects.count() == count  # nothing filed


@pytest.mark.django_db
def test_the_catalogue_carries_the_standard_columns(
    client, make_meeting, organiser, archivist, office, standard
):
    dossier, _ = services.file_meeting(_meeting(make_meeting, office), actor=organiser)
    _minutes(dossier, archivist)
    client.force_login(archivist)
    xlsx = client.get("/archive/catalogue.xlsx", {"year": 2026})
    assert xlsx.status_code == 200
    assert xlsx["X-Content-SHA256"] == hashlib.sha256(xlsx.content).hexdigest()
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == CATALOGUE_COLUMNS
    minutes = next(r for r in rows[1:] if r[1] == "Z109-WS·2026-Y-BGS-0001")
    assert minutes[3] == "办公室" and minutes[4] == "关于数字校园建设的会议纪要"
    assert minutes[5] == "20261220" and minutes[7] == 1
    pdf = client.get("/archive/catalogue.pdf", {"year": 2026})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    for column in CATALOGUE_COLUMNS:
        assert column in compact
    assert "Z109-WS·2026-Y-BGS-0001" in compact and "归档文件目录" in compact
    assert AuditEntry.objects.filter(action="records.catalogue.exported").count() == 2


@pytest.mark.django_db
def test_an_export_before_any_naming_rule_starts_from_the_configured_codes(
    archivist, settings, standard
):
    # The export and the filing share one way to the scheme: a first export does not leave
    # a scheme without the configured 全宗号 for the filing that follows.
    from meetops.records import registers
    from meetops.records.models import Scheme

    Scheme.objects.all().delete()
    settings.MEETOPS_ARCHIVE_FONDS_CODE = "Z777"
    registers.export_catalogue(actor=archivist, fmt="xlsx", year=2026)
    assert Scheme.objects.get().fonds_code == "Z777"


def _expired(dossier):
    from meetops.records.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(
        retain_until=datetime(2020, 12, 31).date(),
        retention=Category.objects.get(code="other").retention,
    )
    dossier.refresh_from_db()
    return dossier


@pytest.mark.django_db
def test_destruction_needs_two_supervisors_and_the_register_keeps_each_item(
    make_meeting, organiser, archivist, leader, member, make_user, office, standard
):
    from django.test import TestCase

    dossier, _ = services.file_meeting(_meeting(make_meeting, office), actor=organiser)
    _minutes(dossier, archivist)
    proposal = services.propose_destruction(_expired(dossier), actor=archivist, reason="期满")
    other = make_user("witness", roles=("member",))
    for supervisors, code in (
        ([member], "two_supervisors_required"),
        ([member, member], "two_supervisors_required"),
        ([member, archivist], "supervisor_is_proposer"),
    ):
        with pytest.raises(DomainError) as exc:
            services.approve_destruction(proposal, actor=leader, supervisors=supervisors)
        assert exc.value.code == code
        proposal.refresh_from_db()
        assert proposal.status == "proposed"
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = services.approve_destruction(proposal, actor=leader, supervisors=[member, other])
    assert set(done.supervisors.all()) == {member, other}
    numbers = {i["archive_number"] for i in done.items}
    assert "Z109-WS·2026-Y-BGS-0001" in numbers
    assert all(len(i["sha256"]) == 64 for i in done.items)

    export = registers.export_register(actor=archivist, fmt="xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == REGISTER_COLUMNS
    line = next(r for r in rows[1:] if r[1] == "Z109-WS·2026-Y-BGS-0001")
    assert line[4] == "关于数字校园建设的会议纪要" and line[5] == "20261220"
    assert line[10] == f"{member}、{other}" and len(line[12]) == 64
    assert export.sha256 == hashlib.sha256(export.content).hexdigest()
    entry = AuditEntry.objects.filter(action="records.register.exported").get()
    assert entry.data["sha256"] == export.sha256
    pdf = registers.export_register(actor=archivist, fmt="pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    for column in (
        "档号",
        "文号",
        "责任者",
        "题名",
        "日期",
        "页数",
        "保管期限",
        "销毁时间",
        "监销人",
    ):
        assert column in compact
    assert line[12] in compact
    with pytest.raises(DomainError) as exc:
        registers.export_register(actor=member, fmt="xlsx")
    assert exc.value.code == "forbidden"
