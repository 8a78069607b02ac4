"""Every link a person is shown leads to a page they may use (issue 16: no refusal behind a link).

The demo organisation is walked as each demo persona from the dashboard, following the links on
every page reached (GET only). A link to a page that answers 403 or 404 for that person is a
link they should not have been shown. Links are followed once per kind of link: pages that
differ only in their ids are one kind, and a kind of link is its target's kind on its source's
kind (a meeting linked from a dossier is not a meeting linked from the meeting list). Dossiers
are walked one by one: an archivist reads dossiers of meetings they may not open.
"""

from __future__ import annotations

import re
from collections import Counter, deque

import pytest
from django.test import Client

from meetops.core.demo import DEMO_LOGINS
from meetops.people.models import User

pytestmark = pytest.mark.django_db

# Not pages: files, feeds, the API, and links that end the session.
NOT_A_PAGE = re.compile(
    r"^/(static|media|api)/|/logout|\.(ics|pdf|docx|xlsx|csv|zip|png|svg)$|/(export|download)"
)
LINK = re.compile(r'href="(/[^"#?]*)')
PER_KIND = 1
EVERY_ONE = re.compile(r"^/archive/dossiers/\d+/$")


def kind_of(url: str) -> str:
    return url if EVERY_ONE.match(url) else re.sub(r"/\d+(?=/|$)", "/N", url)


def walk(client: Client) -> dict[str, tuple[int, str]]:
    """{url: (status, page that linked it)} for every link that did not lead to a page."""
    queue: deque[tuple[str, str]] = deque([("/", "")])
    seen: set[str] = set()
    kinds: Counter[tuple[str, str]] = Counter()
    refused: dict[str, tuple[int, str]] = {}
    while queue:
        url, came_from = queue.popleft()
        kind = (kind_of(url), kind_of(came_from))
        if url in seen or kinds[kind] >= PER_KIND:
            continue
        seen.add(url)
        kinds[kind] += 1
        response = client.get(url)
        if response.status_code in (403, 404, 500):
            refused[url] = (response.status_code, came_from)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            if not NOT_A_PAGE.search(href) and href not in seen:
                queue.append((href, url))
    return refused


def test_no_persona_is_shown_a_link_to_a_refusal(meetops_cli) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = meetops_cli("demo")
    assert code == 0, err
    found = {}
    for username, _persona in DEMO_LOGINS["users"]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        found.update({f"{username} {url}": why for url, why in walk(client).items()})
    assert found == {}
