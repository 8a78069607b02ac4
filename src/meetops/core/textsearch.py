"""Full-text search in Chinese, Simplified or Traditional, the same on SQLite and PostgreSQL.

Each searchable object has one `SearchDocument` row (its kind, its id, its text). The text is
normalised (NFKC, OpenCC t2s, lower case, spaces collapsed) so 會議 finds 会议 and the reverse;
`grams` holds the distinct character bigrams of each run of letters and digits. The database's
own full-text index narrows by bigram (SQLite: an FTS5 table kept by triggers; PostgreSQL: a
GIN index on the stored column `grams_tsv`, `to_tsvector('simple', grams)`; ADR 0018), then
`text LIKE %term%` keeps exactly the documents containing every term. The index only narrows,
so both databases return the same rows: those whose normalised text contains every term.

Apps index an object in the transaction that changes its text (the index row commits or rolls
back with the change; nothing outside the database is touched, so nothing waits for commit) and
give their `rebuild` to `meetops search rebuild` through the `search_index` store.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q
from django.db.models.sql.compiler import SQLCompiler
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from opencc import OpenCC

from meetops.core.models import SearchDocument

# Long texts (an archived document's extracted text) are indexed up to here: enough for the
# reports and minutes an archive holds, and it bounds PostgreSQL's tsvector (1 MB at most).
MAX_TEXT = 100_000
MAX_TERMS = 8
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"[^\W_]+")


@cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as Simplified (OpenCC t2s); other text unchanged."""
    return str(_t2s().convert(text)) if text else ""


def normalise(text: str) -> str:
    """The form both documents and queries are compared in."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACE.sub(" ", to_simplified(text).lower()).strip()


def bigrams(normalised: str) -> list[str]:
    """The distinct bigrams of each run of letters/digits (a one-character run: itself)."""
    seen: dict[str, None] = {}
    for run in _RUN.findall(normalised):
        if len(run) == 1:
            seen.setdefault(run, None)
        for i in range(len(run) - 1):
            seen.setdefault(run[i : i + 2], None)
    return list(seen)


def terms(query: str) -> list[str]:
    """The query's terms, normalised: every one must be found."""
    return [t for t in normalise(query[:200]).split(" ") if t][:MAX_TERMS]


def index(kind: str, object_id: int, parts: Iterable[str | None]) -> None:
    """Store (or replace) the searchable text of one object."""
    text = normalise(" ".join(p for p in parts if p))[:MAX_TEXT]
    SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, defaults={"text": text, "grams": " ".join(bigrams(text))}
    )


def remove(kind: str, object_ids: Iterable[int]) -> None:
    SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def _narrow(qs: models.QuerySet[SearchDocument], grams: list[str]) -> Any:
    # Column names stay unqualified: as a subquery Django aliases the table (U0), and
    # SearchDocument's query never joins another table that has them.
    if not grams:
        return qs
    if connection.vendor == "postgresql":
        return qs.extra(
            where=["grams_tsv @@ plainto_tsquery('simple', %s)"],
            params=[" ".join(grams)],
        )
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{g}"' for g in grams)
        return qs.extra(
            where=[
                "id IN (SELECT rowid FROM core_searchdocument_fts"
                " WHERE core_searchdocument_fts MATCH %s)"
            ],
            params=[match],
        )
    return qs


def matching(kind: str, query: str) -> models.QuerySet[SearchDocument] | None:
    """The documents of `kind` containing every term of `query`; None for an empty query."""
    found = terms(query)
    return _matching(kind, found) if found else None


def _matching(kind: str, found: Sequence[str]) -> Any:
    grams: list[str] = []
    for term in found:
        grams.extend(g for g in bigrams(term) if len(g) == 2 and g not in grams)
    qs = SearchDocument.objects.filter(kind=kind)
    for term in found:
        if not _exact_by_grams(term):
            qs = qs.filter(text__contains=term)
    return _narrow(qs, grams)


def _exact_by_grams(term: str) -> bool:
    # A two-character run is itself a bigram: a document holding that bigram contains the term,
    # so the (costly, for a common word) LIKE over every candidate's text is not needed.
    return len(term) == 2 and _RUN.fullmatch(term) is not None


def matching_ids(kind: str, query: str) -> Any:
    """`object_id`s to filter the app's own queryset with (`pk__in=`); None for no query."""
    docs = matching(kind, query)
    return None if docs is None else docs.values("object_id")


# Up to FEW matches a page filters by their ids, passed to the database as one value (`_Among`),
# then sorts and counts no more than these; above it, the page reads its rows in its own order,
# tests each one and stops once it is full (`Hits.q`): with more than FEW matches in the index
# a full page is soon found. Sorting or counting every match of a word found in nearly every
# document is what cost seconds at 100,000 documents (docs/benchmarks.md, Search). The pages
# count up to COUNT_UP_TO and then say "more than 1000".
FEW = 5000
COUNT_UP_TO = 1000
# With more ids than this a page of 20 is found sooner by reading the page's own date index and
# testing each row against the ids (at 5,000 of 100,000: ~400 index entries) than by fetching
# every matching row and sorting them (SQLite sorts unless told otherwise: 60 ms at 5,000).
SORTED_UP_TO = 1000


class _Among(Expression):
    """`column IN ids`, the ids as a single value: a JSON array read by `json_each` on SQLite, an
    array on PostgreSQL. Thousands of ids as as many parameters cost more to build and bind
    than the search itself (docs/benchmarks.md, Search)."""

    conditional = True

    def __init__(self, column: Any, ids: Sequence[int], *, walk: bool) -> None:
        super().__init__(output_field=BooleanField())
        self.column = column
        self.ids = ids
        self.walk = walk

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        sql, params = compiler.compile(self.column)
        query = compiler.query
        ordered = bool(query.order_by or (query.default_ordering and query.get_meta().ordering))
        # Many ids and a page to fill: the column is hidden from its primary key index (SQLite's
        # `+`, PostgreSQL's `+ 0`), so the page walks its own order and tests each row against
        # the ids, stopping once full, instead of fetching every match and sorting them all
        # (the caller bounds that order's column). A count has no order to walk: it looks the
        # ids up (1,001 at most, not the 20,000 rows a walk reads to find 1,001 of 5,000).
        walk = self.walk and ordered
        if connection.vendor == "postgresql":
            column = f"({sql} + 0)" if walk else sql
            return f"{column} = ANY(%s)", [*params, list(self.ids)]
        if connection.vendor == "sqlite":
            column = f"+{sql}" if walk else sql
            ids = json.dumps(list(self.ids))
            sql = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - column compiled by Django, ids a parameter
            return sql, [*params, ids]
        if not self.ids:
            return "1 = 0", list(params)
        return f"{sql} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]


@dataclass(frozen=True)
class Hits:
    """The objects of one kind that match a query, in the form cheapest for a page to filter by."""

    kind: str
    terms: tuple[str, ...]
    # Every matching object id when there are at most FEW; None when there are more.
    ids: tuple[int, ...] | None

    @property
    def walk(self) -> bool:
        """Whether a page had best read its rows in its own order and test each (many hits)."""
        return self.ids is None or len(self.ids) > SORTED_UP_TO

    def q(self, field: str = "pk") -> Q:
        """The condition on the app's own queryset (`field`: the indexed object's id)."""
        if self.ids is not None:
            return Q(_Among(F(field), self.ids, walk=self.walk))
        # Many matches: checked row by row (the object's own index row, by its unique key), so
        # a page read in date order with a LIMIT stops as soon as it is full. The text alone
        # decides, exactly as the full-text narrowing plus LIKE of `matching` does.
        docs = SearchDocument.objects.filter(kind=self.kind, object_id=OuterRef(field))
        for term in self.terms:
            docs = docs.filter(text__contains=term)
        return Q(Exists(docs))


def find(kind: str, query: str) -> Hits | None:
    """Which objects of `kind` match `query` (None for an empty query): at most FEW + 1 rows
    are read from the index, whatever the number of matches."""
    found = terms(query)
    if not found:
        return None
    ids = list(_matching(kind, found).values_list("object_id", flat=True)[: FEW + 1])
    return Hits(kind=kind, terms=tuple(found), ids=tuple(ids) if len(ids) <= FEW else None)


@dataclass(frozen=True)
class Snippet:
    html: SafeString
    field: str


CHUNK = 4000


def snippet(
    query: str, fields: Iterable[tuple[str, str | None]], *, width: int = 36
) -> Snippet | None:
    """The first field where the query matches, cut around the match, HTML-escaped, with every
    term marked `<mark>`. `fields` are (label, original text); the text shown is the original
    where normalising kept its length (almost always), else the normalised text. Long texts
    are read in chunks, so a match near the start costs little whatever the length."""
    wanted = terms(query)
    if not wanted:
        return None
    longest = max(len(t) for t in wanted)
    for label, original in fields:
        original = (original or "")[:MAX_TEXT]
        for offset in range(0, len(original), CHUNK):
            piece = original[max(offset - longest, 0) : offset + CHUNK]
            html = _cut(piece, wanted, width)
            if html is not None:
                return Snippet(html=html, field=label)
    return None


def _cut(original: str, wanted: list[str], width: int) -> SafeString | None:
    # Shown as written (full-width punctuation, Traditional characters), matched as normalised.
    # Most matches are in the query's own script: try without OpenCC first (it is slow).
    folded = unicodedata.normalize("NFKC", original).lower()
    if not _spans(folded, wanted):
        folded = to_simplified(folded)
    shown = original if len(folded) == len(original) else folded
    spans = _spans(folded, wanted)
    if not spans:
        return None
    start = max(spans[0][0] - width, 0)
    end = min(max(spans[0][1] + width, start + 2 * width), len(shown))
    pieces: list[str] = ["…" if start else ""]
    pos = start
    for a, b in spans:
        if a < pos or b > end:
            continue
        pieces.append(escape(shown[pos:a]))
        pieces.append(f"<mark>{escape(shown[a:b])}</mark>")
        pos = b
    pieces.append(escape(shown[pos:end]))
    pieces.append("…" if end < len(shown) else "")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def with_snippets(
    objects: Iterable[Any], query: str, fields: Callable[[Any], Sequence[tuple[str, str | None]]]
) -> None:
    """Set `search_snippet` (a Snippet or None) on each object of a page of results."""
    for obj in objects:
        obj.search_snippet = snippet(query, fields(obj)) if query else None


def _spans(folded: str, wanted: list[str]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for term in wanted:
        i = folded.find(term)
        while i >= 0:
            found.append((i, i + len(term)))
            i = folded.find(term, i + len(term))
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
