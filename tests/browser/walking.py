"""What every page of a walk must be (issue 16, "Done when"): nothing scrolls sideways, nothing
reached the console as an error (script errors, failed loads, CSP reports), and in Chinese no
text of MeetOps's own catalogues is left in English.

"Untranslated" is judged against the catalogues themselves: a line of the page's visible text
(or a placeholder or aria-label; a title may carry a code on purpose, as the audit
log's raw keys do) that is exactly one of MeetOps's English messages whose
Chinese differs. Data typed by people is never in the catalogues, so it is never flagged.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "meetops"
FILES = re.compile(r"\.(pdf|docx|xlsx|ics|csv|zip|png|svg)(\?|$)|/(export|download)")

VISIBLE_TEXT = """() => {
  const out = [];
  for (const line of document.body.innerText.split('\\n')) {
    const t = line.trim();
    if (t) out.push(t);
  }
  for (const el of document.querySelectorAll('[placeholder],[aria-label]')) {
    if (!el.getClientRects().length) continue;
    for (const a of ['placeholder', 'aria-label']) {
      const v = el.getAttribute(a);
      if (v) out.push(v.trim());
    }
  }
  return out;
}"""


WIDER_THAN_SCREEN = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > innerWidth + 1 && r.width > 0) {
      const kids = [...el.children].some(c => c.getBoundingClientRect().right > innerWidth + 1);
      if (!kids) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
        ' "' + (el.textContent || '').trim().slice(0, 40) + '" right=' + Math.round(r.right));
    }
  }
  return out.slice(0, 5);
}"""


@cache
def english_messages(catalogue: str) -> frozenset[str]:
    """MeetOps's English messages that the `catalogue` (zh_Hans, zh_Hant) translates differently."""
    found: set[str] = set()
    for mo in PACKAGE.glob(f"*/locale/{catalogue}/LC_MESSAGES/django.mo"):
        with mo.open("rb") as handle:
            catalog: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        for key, translated in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            msgid = msgid.split("\x04")[-1]  # drop a message context
            if (
                msgid
                and translated != msgid
                and "%" not in msgid
                and "{" not in msgid
                and re.search(r"[a-z]{2}", msgid)
                and len(msgid) >= 4
            ):
                found.add(msgid)
    return frozenset(found)


@dataclass
class Walk:
    """One person's browser tab on a walk; `visit` and `check` hold every page to the rules."""

    page: Any
    language: str  # "zh-hans" | "zh-hant" | "en"
    errors: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def visit(self, url: str) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{url} answered {response}"
        self.check(url)
        return self.page

    def check(self, where: str = "") -> None:
        where = where or self.page.url
        self.visited.append(where)
        page = self.page
        page.wait_for_load_state("load")
        overflow = page.evaluate("document.scrollingElement.scrollWidth - innerWidth")
        width = page.viewport_size["width"]
        if overflow > 0:
            wide = page.evaluate(WIDER_THAN_SCREEN)
            raise AssertionError(f"{where} scrolls sideways by {overflow} px at {width} px: {wide}")
        assert self.errors == [], f"{where}: {self.errors}"
        if self.language != "en":
            catalogue = {"zh-hans": "zh_Hans", "zh-hant": "zh_Hant"}[self.language]
            english = english_messages(catalogue)
            left = sorted({t for t in page.evaluate(VISIBLE_TEXT) if t in english})
            assert left == [], f"{where} shows untranslated text in {self.language}: {left}"

    def links_in(self, selector: str) -> list[str]:
        """The pages linked inside `selector` (same site, no files, no fragments), in order."""
        hrefs = self.page.eval_on_selector_all(
            f"{selector} a[href]", "els => els.map(e => e.getAttribute('href'))"
        )
        seen: list[str] = []
        for href in hrefs:
            if not href.startswith("/") or FILES.search(href) or href in seen:
                continue
            seen.append(href.split("#")[0])
        return list(dict.fromkeys(seen))

    def visit_all(self, selector: str) -> list[str]:
        """Visits every page linked inside `selector` on the current page."""
        here = self.page.url
        links = self.links_in(selector)
        for href in links:
            self.visit(href)
        self.page.goto(here)
        return links
