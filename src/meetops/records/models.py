"""The meeting archive (档案): classification, dossiers, documents and their versions, paper items,
access log, yearly review and destruction (P4.1, P7.1–P7.5, P7.7–P7.10)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.meetings.models import TranslatedName

DEFAULT_FILE_NAME_PATTERN = "{date}_{meeting}_{category}_{seq:02d}.{ext}"
DEFAULT_NUMBER_PATTERN = "{year}-{kind}-{seq:04d}"
# DA/T 22-2015 §5.4: 全宗号-门类代码·年度-保管期限代码-机构（问题）代码-件号 (U+00B7 after the 门类).
DEFAULT_ITEM_PATTERN = "{fonds}-{class}\u00b7{year}-{retention}-{org}-{seq:04d}"


class RetentionRule(TranslatedName):
    """How long a category is kept (保管期限): permanent (no years), 30 years, 10 years."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    years = models.PositiveSmallIntegerField(
        _("years kept"), null=True, blank=True, help_text=_("Empty: kept permanently.")
    )
    # The 保管期限代码 in the 档号 (Y, D30, D10); empty: derived from `years`.
    archive_code = models.CharField(_("retention code"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["years", "code"]

    @property
    def permanent(self) -> bool:
        return self.years is None

    @property
    def code_in_number(self) -> str:
        """Y for permanent, D30 / D10 for fixed terms, unless an explicit code is set."""
        return self.archive_code or ("Y" if self.years is None else f"D{self.years}")


class Category(TranslatedName):
    """A class of material (P7.1): agenda, speeches, attendance list, minutes …"""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    retention = models.ForeignKey(
        RetentionRule, verbose_name=_("retention period"), on_delete=models.PROTECT
    )
    required_for = models.ManyToManyField(
        "meetings.MeetingKind",
        verbose_name=_("required for meeting kinds"),
        blank=True,
        related_name="+",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("archive category")
        verbose_name_plural = _("archive categories")
        ordering = ["order", "code"]


class Scheme(models.Model):
    """The archive's naming rules (one row): file names (P7.2) and archive numbers (档号)."""

    file_name_pattern = models.CharField(
        _("file name rule"), max_length=200, default=DEFAULT_FILE_NAME_PATTERN
    )
    number_pattern = models.CharField(
        _("archive number rule"), max_length=100, default=DEFAULT_NUMBER_PATTERN
    )
    item_pattern = models.CharField(
        _("item archive number rule (档号)"), max_length=120, default=DEFAULT_ITEM_PATTERN
    )
    fonds_code = models.CharField(_("fonds number (全宗号)"), max_length=20, blank=True)
    fonds_name = models.CharField(_("fonds name (全宗名称)"), max_length=200, blank=True)
    class_code = models.CharField(_("record class code (门类代码)"), max_length=10, default="WS")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("archive naming rules")
        verbose_name_plural = _("archive naming rules")

    def __str__(self) -> str:
        return f"{self.file_name_pattern} · {self.number_pattern}"


class NumberCounter(models.Model):
    """The last sequence number used per archive-number prefix; locked while a number is taken."""

    key = models.CharField(max_length=100, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class DepartmentCode(models.Model):
    """The 机构（问题）代码 of a department in the 档号 (e.g. 办公室 = BGS)."""

    department = models.OneToOneField(
        "people.Department", on_delete=models.CASCADE, related_name="archive_code"
    )
    code = models.CharField(_("department code"), max_length=10)

    class Meta:
        verbose_name = _("department code")
        verbose_name_plural = _("department codes")

    def __str__(self) -> str:
        return self.code


class DossierStatus(models.TextChoices):
    """Codes are part of the API contract."""

    FILED = "filed", _("Filed")
    FINAL = "final", _("Finally filed (locked)")
    DESTROYED = "destroyed", _("Destroyed")


class Dossier(models.Model):
    """One meeting's archive file (案卷), with its archive number (档号)."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="dossier"
    )
    archive_number = models.CharField(_("archive number"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=DossierStatus.choices, default=DossierStatus.FILED
    )
    retention = models.ForeignKey(
        RetentionRule, verbose_name=_("retention period"), on_delete=models.PROTECT
    )
    retain_until = models.DateField(_("kept until"), null=True, blank=True, db_index=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finally filed at"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.archive_number} {self.title}"


class Document(models.Model):
    """An archived document (件); its content lives in versions, never overwritten (P7.7)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    seq = models.PositiveIntegerField(_("number in the dossier"))
    title = models.CharField(_("title"), max_length=300)
    # Where it came from: "minutes.pdf", "agenda.material:12", "upload" … (gathering adds each once).
    source = models.CharField(_("source"), max_length=60)
    current = models.ForeignKey(
        "DocumentVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The 件's own 档号 (DA/T 22-2015 §5.4); empty for documents filed before the rule existed.
    archive_number = models.CharField(
        _("archive number"), max_length=120, null=True, blank=True, unique=True
    )
    item_number = models.PositiveIntegerField(_("item number (件号)"), null=True, blank=True)
    retention = models.ForeignKey(
        RetentionRule,
        verbose_name=_("retention period"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    reference = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    author = models.CharField(_("responsible party (责任者)"), max_length=200, blank=True)
    secrecy = models.CharField(_("classification (密级)"), max_length=20, blank=True)
    dated = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("archived document")
        verbose_name_plural = _("archived documents")
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="records_document_seq_unique")
        ]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One version of a document's file: name by the naming rule, size and SHA-256."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="archive/%Y/", blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("extracted text"), blank=True)
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("archived at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="records_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.file_name


class AccessAction(models.TextChoices):
    VIEW = "view", pgettext_lazy("archive access", "Viewed")
    DOWNLOAD = "download", pgettext_lazy("archive access", "Downloaded")


class AccessLog(models.Model):
    """Who viewed or downloaded which archived document, or viewed which dossier, when (P7.5).

    A row without a version is a view of the dossier's page itself.
    """

    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        DocumentVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    source = models.CharField(_("source"), max_length=10)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.version_id}"


class PaperItem(models.Model):
    """A paper item of the dossier in the physical archive (P7.4), and where it stands."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="paper_items")
    title = models.CharField(_("title"), max_length=300)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    pieces = models.PositiveIntegerField(_("number of pieces"), default=1)
    room = models.CharField(pgettext_lazy("archive", "room"), max_length=60)
    cabinet = models.CharField(_("cabinet"), max_length=30)
    shelf = models.CharField(_("shelf"), max_length=30, blank=True)
    box = models.CharField(_("box"), max_length=30, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)

    class Meta:
        ordering = ["room", "cabinet", "shelf", "box", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def location(self) -> str:
        return " / ".join(x for x in (self.room, self.cabinet, self.shelf, self.box) if x)


class Loan(models.Model):
    """A paper item lent out, and its return."""

    item = models.ForeignKey(PaperItem, on_delete=models.CASCADE, related_name="loans")
    borrower = models.CharField(_("borrower"), max_length=150)
    due_back = models.DateField(_("due back"), null=True, blank=True)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lent_at = models.DateTimeField(_("lent at"), auto_now_add=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        ordering = ["-lent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(returned_at__isnull=True),
                name="records_one_open_loan_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.borrower}"


class YearReview(models.Model):
    """The archivist's yearly review of a year's dossiers before final filing (P7.9)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.TextField(_("note"), blank=True)
    complete = models.PositiveIntegerField(_("complete dossiers"), default=0)
    incomplete = models.PositiveIntegerField(_("incomplete dossiers"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.year)


class DestructionStatus(models.TextChoices):
    """Codes are part of the API contract."""

    PROPOSED = "proposed", _("Proposed")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Destroyed")


class Destruction(models.Model):
    """A proposal to destroy an expired dossier (P7.10): proposed by an archivist, approved by a
    leader (never the proposer); the approved row is a line of the destruction register (销毁清册)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="destructions")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DestructionStatus.choices,
        default=DestructionStatus.PROPOSED,
    )
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    # What was destroyed, kept as evidence: [{"file_name", "sha256", "size"}].
    files = models.JSONField(default=list, blank=True)
    # The two people who witnessed the destruction (监销人): distinct, neither the proposer.
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destruction supervisors"),
        blank=True,
        related_name="+",
    )
    # The register's line as it stood when destroyed (档号, 文号, 责任者, 题名, 日期, 页数 per 件).
    items = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(status="proposed"),
                name="records_one_open_destruction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.status}"


class IntegrityReport(models.Model):
    """A 四性检测 report (DA/T 70-2018) run at filing: authenticity, integrity, usability and
    security, each with its findings. Kept with the dossier, never changed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="check_reports")
    passed = models.BooleanField(_("passed"))
    # [{"check": "authenticity", "passed": bool, "findings": [str, ...]}, ...]
    results = models.JSONField(default=list)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    run_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.passed}"


class FilingStatus(models.TextChoices):
    """Codes are part of the API contract."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Filing…")
    DONE = "done", _("Filed")
    FAILED = "failed", _("Failed")


OPEN_FILING = (FilingStatus.QUEUED, FilingStatus.RUNNING)


class FilingRun(models.Model):
    """A request to file a meeting (P4.1), carried out by the worker: who asked, how far it got
    (documents rendered of those to file), and how it ended. At most one is open per meeting."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="filing_runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.QUEUED
    )
    # The lease of the worker holding the run (core.leases), None while nobody does: the end
    # time names the holder, every write of the worker is guarded by it.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="filing_runs"
    )
    added = models.PositiveIntegerField(default=0)
    # Why it failed, in the language of the person who asked, and the error's stable code.
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    # A failed run stays failed; when the meeting is filed afterwards by any path (the worker,
    # the API, the demo), the filing sets this and the pages stop showing the old reason.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("filing request")
        verbose_name_plural = _("filing requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(status__in=["queued", "running"]),
                name="records_one_open_filing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FILING

    @property
    def waiting_long(self) -> bool:
        """Queued for over a minute: no worker is taking requests (none runs, or all are busy)."""
        return self.status == FilingStatus.QUEUED and (
            timezone.now() - self.requested_at > timedelta(minutes=1)
        )
