"""Everything the throw-away app adds, declared here only. It shows itself only to people whose
username starts with "contrib" and on meetings whose title starts with "[contrib]", so that the
rest of the suite does not see it."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from meetops.core.archive import Found
from meetops.core.inbox import WaitingItem
from meetops.core.registry import (
    ApiRouter,
    ArchiveSource,
    InboxSource,
    MeetingLink,
    MenuEntry,
    UrlInclude,
    registry,
)
from meetops.core.scheduler import periodic
from meetops.meetings.models import Meeting
from meetops.people.models import User

MARK = "[contrib]"
RUNS: list[str] = []


def _tester(user: User) -> bool:
    return user.username.startswith("contrib")


def _marked(user: User, meeting: Meeting, can_manage: bool) -> bool:
    return meeting.title.startswith(MARK)


def waiting(user: User, limit: int) -> list[WaitingItem]:
    if not _tester(user):
        return []
    return [
        WaitingItem(
            "contrib", "Contrib item", None, "/contrib/", timezone.now(), "", subject="Contrib"
        )
    ]


def archived(meeting: Meeting, actor: User) -> Iterator[Found]:
    if meeting.title.startswith(MARK):
        yield Found("contrib_app.note", "other", "Contrib note", "txt", lambda: b"contrib note")


@periodic(every_seconds=3600, name="contrib_app.tick")
def tick() -> None:
    RUNS.append("tick")


registry["api_routers"].register(
    "contrib_app", ApiRouter("/", "tests.contrib_app.api.router", order=1000)
)
registry["urls"].register("contrib_app", UrlInclude("", "tests.contrib_app.urls", order=1000))
registry["menu"].register(
    "contrib_app.board",
    MenuEntry("Contrib board", "contrib_app:board", order=1000, area="contrib", visible=_tester),
)
registry["meeting_links"].register(
    "contrib_app.tab",
    MeetingLink("contrib_app/_meeting_link.html", order=1000, visible=_marked),
)
registry["inbox"].register("contrib_app", InboxSource(waiting, order=1000))
registry["archive"].register(
    "contrib_app", ArchiveSource("tests.contrib_app.contributions.archived", order=1000)
)
