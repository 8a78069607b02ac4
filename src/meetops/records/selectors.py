"""Reads of the archive, already limited to what the user may see (P7.5, P7.8)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from meetops.core import textsearch
from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID
from meetops.meetings.selectors import meetings_visible_to
from meetops.people.models import User
from meetops.people.selectors import by_name
from meetops.records import search
from meetops.records.models import (
    AccessLog,
    Category,
    Destruction,
    DestructionStatus,
    Document,
    DocumentVersion,
    Dossier,
    DossierStatus,
    FilingRun,
    FilingStatus,
    Loan,
    PaperItem,
    RetentionRule,
)
from meetops.records.permissions import is_archivist

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PAGE = 20


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """The queryset twin of `can_view_dossier`."""
    base = Dossier.objects.select_related("meeting__kind", "meeting__department", "retention")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if is_archivist(user):
        return base
    return base.filter(meeting__in=meetings_visible_to(user).values("pk"))


def documents_visible_to(user: User) -> QuerySet[Document]:
    """The documents of the dossiers `user` may see; for archivists no condition at all (a
    join over every dossier cost the archive search 370 ms at 100,000 even for a miss)."""
    if is_archivist(user):
        return Document.objects.all()
    return Document.objects.filter(dossier__in=dossiers_visible_to(user).values("pk"))


_END_OF_TIME = datetime(9999, 1, 1, tzinfo=UTC)


# A character of an archive number's own parts: the year and sequence, the meeting kind's code
# (a slug, upper case), the rule's separators (`-`, the middle dot of DA/T 22).
_NUMBER_CHARACTER = re.compile(r"[!-~\u00b7]")


def looks_like_archive_number(typed: str) -> bool:
    """Whether `typed` may be part of an archive number: it has an ASCII character or the middle
    dot. Text in Chinese alone is not (searching every dossier's number for it cost the archive
    search 10–35 ms at 100,000 dossiers, whatever the query)."""
    return _NUMBER_CHARACTER.search(typed) is not None


def _archive_number_matches(typed: str) -> Q | None:
    # The archive number is a code (2026-REGULAR-0003), matched as typed. The dossiers it
    # finds are looked up once, so that the documents are not each joined to their dossier to
    # test it; a code found in many (a year) is tested per row, like a common word.
    if not looks_like_archive_number(typed):
        return None
    by_number = Dossier.objects.filter(archive_number__icontains=typed)
    numbered = list(by_number.order_by().values_list("pk", flat=True)[: textsearch.FEW + 1])
    if len(numbered) <= textsearch.FEW:
        return Q(dossier_id__in=numbered)
    return Q(dossier__archive_number__icontains=typed)


def _valid(pk: int) -> None:
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound()


def get_dossier_for_user(user: User, pk: int) -> Dossier:
    """404 for a dossier that does not exist or that the user may not see."""
    _valid(pk)
    dossier = dossiers_visible_to(user).filter(pk=pk).first()
    if dossier is None:
        raise NotFound()
    return dossier


def dossier_of_meeting(user: User, meeting_id: int) -> Dossier | None:
    _valid(meeting_id)
    return dossiers_visible_to(user).filter(meeting_id=meeting_id).first()


def filing_to_show(meeting_id: int) -> FilingRun | None:
    """The meeting's latest filing request while the pages show it: open (its progress), or
    failed with no filing since (its reason, until asked again); None once it is done or a
    later filing superseded it. The caller has authorised the user."""
    run = (
        FilingRun.objects.filter(meeting_id=meeting_id)
        .select_related("requested_by", "dossier")
        .order_by("-pk")
        .first()
    )
    if run is None or run.status == FilingStatus.DONE or run.superseded_at is not None:
        return None
    return run


def get_filing_for_user(user: User, pk: int) -> FilingRun:
    """404 for a filing request the user may not see: one of a dossier they may see, or of a
    meeting they may open."""
    _valid(pk)
    run = FilingRun.objects.select_related("requested_by", "dossier").filter(pk=pk).first()
    if run is None:
        raise NotFound()
    seen = dossier_of_meeting(user, run.meeting_id) is not None
    if not (seen or meetings_visible_to(user).filter(pk=run.meeting_id).exists()):
        raise NotFound()
    return run


def get_document_for_user(user: User, pk: int) -> Document:
    _valid(pk)
    document = (
        Document.objects.filter(pk=pk, dossier__in=dossiers_visible_to(user).values("pk"))
        .select_related("dossier__meeting__kind", "category", "current")
        .first()
    )
    if document is None:
        raise NotFound()
    return document


def documents_of(dossier: Dossier) -> QuerySet[Document]:
    return dossier.documents.select_related("category", "current", "current__created_by")


def versions_of(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("created_by").order_by("-number")


def version_of(document: Document, number: int | None) -> DocumentVersion:
    if number is None:
        if document.current is None:
            raise NotFound()
        return document.current
    version = document.versions.filter(number=number).first()
    if version is None:
        raise NotFound()
    return version


def missing_categories(dossier: Dossier) -> list[Category]:
    """The categories the meeting's kind requires that the dossier has no document of (P7.9)."""
    present = Document.objects.filter(dossier=dossier, category=OuterRef("pk"))
    return list(
        Category.objects.filter(required_for=dossier.meeting.kind_id, active=True)
        .filter(~Exists(present))
        .order_by("order", "code")
    )


def paper_items_of(dossier: Dossier) -> QuerySet[PaperItem]:
    open_loans = Loan.objects.filter(returned_at__isnull=True).select_related("lent_by")
    return dossier.paper_items.select_related("category").prefetch_related(
        Prefetch("loans", queryset=open_loans, to_attr="open_loans")
    )


def search_documents(
    user: User,
    *,
    q: str = "",
    year: int | None = None,
    category: str = "",
    department: int | None = None,
    confidentiality: str = "",
) -> QuerySet[Document]:
    """Archived documents the user may see, narrowed by text and filters, newest first (P7.8).

    Text matches the document's title and file name, its extracted text, the meeting's title
    (in either script: 會議 finds 会议, core.textsearch) and the archive number.
    """
    docs = documents_visible_to(user)
    hits = textsearch.find(search.KIND, q)
    if hits is not None:
        by_number = _archive_number_matches(q.strip())
        docs = docs.filter(hits.q("pk") if by_number is None else hits.q("pk") | by_number)
    if hits is None or hits.walk:
        # Many rows to choose from: the page is read along the meetings' date index and stops
        # once full. SQLite's planner takes that index only when the query bounds its column
        # (else it sorted every document: 0.7 s at 100,000); the bound excludes nothing.
        docs = docs.filter(dossier__meeting__start__lt=_END_OF_TIME)
    if year:
        docs = docs.filter(dossier__year=year)
    if category:
        docs = docs.filter(category__code=category)
    if department:
        docs = docs.filter(dossier__meeting__department__path__contains=f"/{department}/")
    if confidentiality:
        docs = docs.filter(dossier__meeting__confidentiality=confidentiality)
    # The category (a small table) is fetched apart: joined, it led SQLite's planner to loop
    # over the categories first and sort every document (1.4 s at 100,000).
    return (
        docs.select_related("current", "dossier__meeting__department")
        .prefetch_related("category")
        .order_by("-dossier__meeting__start", "dossier_id", "seq")
    )


class _YearAttrs(TypedDict):
    document_count: int
    missing: list[Category]


if TYPE_CHECKING:
    YearDossier = WithAnnotations[Dossier, _YearAttrs]


def dossiers_of_year(user: User, year: int) -> list[YearDossier]:
    """The year's dossiers with their document count and what each lacks (the review page)."""
    dossiers = cast(
        "list[YearDossier]",
        list(
            dossiers_visible_to(user)
            .filter(year=year)
            .annotate(document_count=Count("documents"))
            .order_by("archive_number")
        ),
    )
    present: dict[int, set[int]] = {}
    for dossier_id, category_id in Document.objects.filter(
        dossier__in=[d.pk for d in dossiers]
    ).values_list("dossier_id", "category_id"):
        present.setdefault(dossier_id, set()).add(category_id)
    required: dict[int, list[Category]] = {}
    for c in Category.objects.filter(active=True).prefetch_related("required_for"):
        for kind in c.required_for.all():
            required.setdefault(kind.pk, []).append(c)
    for d in dossiers:
        d.missing = [
            c for c in required.get(d.meeting.kind_id, []) if c.pk not in present.get(d.pk, set())
        ]
    return dossiers


def _due(qs: QuerySet[Dossier], today: date | None) -> QuerySet[Dossier]:
    return (
        qs.filter(retain_until__lt=today or timezone.localdate())
        .exclude(status=DossierStatus.DESTROYED)
        .order_by("retain_until", "archive_number")
    )


def due_for_destruction(user: User, *, today: date | None = None) -> QuerySet[Dossier]:
    """Dossiers the user may see whose retention has ended and that are not destroyed (P7.10)."""
    return _due(dossiers_visible_to(user), today)


def all_due(*, today: date | None = None) -> QuerySet[Dossier]:
    """Every dossier due for destruction, whatever its confidentiality (the operator's CLI)."""
    return _due(Dossier.objects.select_related("retention"), today)


def open_proposals(user: User) -> QuerySet[Destruction]:
    return (
        Destruction.objects.filter(
            status=DestructionStatus.PROPOSED,
            dossier__in=dossiers_visible_to(user).values("pk"),
        )
        .select_related("dossier", "proposed_by")
        .order_by("proposed_at", "id")
    )


def get_destruction_for_user(user: User, pk: int) -> Destruction:
    _valid(pk)
    found = (
        Destruction.objects.filter(pk=pk, dossier__in=dossiers_visible_to(user).values("pk"))
        .select_related("dossier", "proposed_by")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def destruction_register() -> QuerySet[Destruction]:
    """The destruction register (销毁清册): every carried-out destruction, oldest first."""
    return (
        Destruction.objects.filter(status=DestructionStatus.DONE)
        .select_related("dossier__retention", "proposed_by", "decided_by")
        .prefetch_related(Prefetch("supervisors", queryset=by_name(User.objects.all())))
        .order_by("decided_at", "id")
    )


def supervisors_of(destruction: Destruction) -> QuerySet[User]:
    """The destruction's two 监销人 in name order, as the register lists them."""
    return by_name(destruction.supervisors.all())


def people_by_ids(ids: list[int]) -> list[User]:
    """Active accounts with these ids, in the order given (unknown ids left out)."""
    found = {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}
    return [found[i] for i in ids if i in found]


def catalogue(year: int, *, retention: RetentionRule | None = None) -> QuerySet[Document]:
    """The 归档文件目录 of a year (DA/T 22-2015 §5.5): every 件 with a 档号, in 档号 order."""
    documents = Document.objects.filter(dossier__year=year, archive_number__isnull=False).exclude(
        dossier__status=DossierStatus.DESTROYED
    )
    if retention is not None:
        documents = documents.filter(retention=retention)
    return documents.select_related("retention", "dossier").order_by("archive_number")


def access_log() -> QuerySet[AccessLog]:
    return AccessLog.objects.select_related(
        "user", "dossier", "version__document__dossier"
    ).order_by("-at", "-id")


def years_with_dossiers() -> list[int]:
    return list(Dossier.objects.order_by("-year").values_list("year", flat=True).distinct())
