"""Archived documents in the full-text index (`core.textsearch`): the document's title, its
current file name and extracted text, and the dossier's title."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from meetops.core import textsearch
from meetops.records.models import Document

KIND = "records.document"


def index_document(document: Document) -> None:
    """Called where a document or its current version is written, in that transaction."""
    current = document.current
    textsearch.index(
        KIND,
        document.pk,
        [
            document.title,
            document.dossier.title,
            current.file_name if current else "",
            current.text if current else "",
        ],
    )


def index_documents(documents: Iterable[Document]) -> None:
    for document in documents:
        index_document(document)


def rebuild() -> int:
    docs = Document.objects.select_related("dossier", "current").order_by("pk")
    count = 0
    for document in docs.iterator(chunk_size=200):
        index_document(document)
        count += 1
    return count


def snippet_fields(document: Document) -> Sequence[tuple[str, str | None]]:
    current = document.current
    return [
        (_("Document"), document.title),
        (_("Meeting"), document.dossier.title),
        (_("File"), current.file_name if current else ""),
        (_("Text"), current.text if current else ""),
    ]
