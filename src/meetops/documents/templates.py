"""An office's own DOCX template: its {{占位符}} checked on upload and filled on download.

A placeholder is a name in double braces, typed anywhere in the document's text
(body, tables, headers, footers). `{{正文}}` must stand alone in its paragraph: it
becomes the body's paragraphs, each with that paragraph's formatting. The others
are replaced in place; Word may split a placeholder over several runs, so the
paragraph's runs are joined first (the paragraph keeps the first run's format).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from meetops.core.errors import ValidationFailed
from meetops.documents import page
from meetops.documents.models import Kind
from meetops.documents.page import OfficialDocument

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
BODY = "正文"
COMMON = ("标志", "编号", "发文机关", "日期", "标题", "主送", BODY, "抄送", "印发机关", "印发日期")
KNOWN: dict[str, tuple[str, ...]] = {
    Kind.MINUTES: (*COMMON, "出席", "请假", "列席", "缺席", "记录"),
    Kind.NOTICE: COMMON,
    Kind.REPORT: (*COMMON, "签发人"),
}
REQUIRED = ("标题", BODY)


def placeholder_names() -> list[str]:
    """Every placeholder some kind knows, written as typed in a template: {{标题}}."""
    names: list[str] = []
    for known in KNOWN.values():
        names += [n for n in known if n not in names]
    return ["{{" + n + "}}" for n in names]


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraphs(document: Any) -> Iterator[Any]:
    """Every paragraph: body, tables (nested), headers and footers."""

    def in_container(container: Any) -> Iterator[Any]:
        yield from container.paragraphs
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from in_container(cell)

    yield from in_container(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from in_container(part)


def _open(content: bytes) -> Any:
    import docx  # heavy: only when a template is read

    try:
        return docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValidationFailed(
            _("This is not a Word document (.docx)."), "not_a_docx", field="file"
        ) from exc


def check(content: bytes, *, kind: str) -> list[str]:
    """The placeholders the template uses; ValidationFailed naming unknown or missing ones."""
    document = _open(content)
    found: list[str] = []
    for paragraph in _paragraphs(document):
        for name in PLACEHOLDER.findall(paragraph.text):
            if name not in found:
                found.append(name)
    known = KNOWN[kind]
    unknown = [name for name in found if name not in known]
    if unknown:
        raise ValidationFailed(
            _("Unknown placeholders: %(names)s. This kind of document knows: %(known)s.")
            % {
                "names": "、".join(f"{{{{{n}}}}}" for n in unknown),
                "known": "、".join(f"{{{{{n}}}}}" for n in known),
            },
            "unknown_placeholders",
            field="file",
            names=unknown,
        )
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise ValidationFailed(
            _("The template lacks these placeholders: %(names)s.")
            % {"names": "、".join(f"{{{{{n}}}}}" for n in missing)},
            "missing_placeholders",
            field="file",
            names=missing,
        )
    return found


def body_lines(doc: OfficialDocument) -> list[str]:
    """The body's paragraphs as text, headings with their numbers."""
    return [f"{b.number}{b.text}{b.tail}" for b in doc.blocks if isinstance(b, page.Paragraph)]


def _set_text(paragraph: Any, text: str) -> None:
    runs = paragraph.runs
    if not runs:
        paragraph.add_run(text)
        return
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def fill(content: bytes, doc: OfficialDocument) -> bytes:
    """The office's template with the document's values in place of its placeholders."""
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = _open(content)
    values = dict(doc.fields)
    for paragraph in list(_paragraphs(document)):
        text = paragraph.text
        if not PLACEHOLDER.search(text):
            continue
        whole = PLACEHOLDER.fullmatch(text.strip())
        if whole is not None and whole.group(1) == BODY:
            anchor = paragraph._p
            for line in body_lines(doc):
                new = copy.deepcopy(anchor)
                anchor.addprevious(new)
                for run in new.findall(f"{W}r"):
                    new.remove(run)
                DocxParagraph(new, paragraph._parent).add_run(line)
            anchor.getparent().remove(anchor)
            continue
        _set_text(paragraph, PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
