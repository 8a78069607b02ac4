"""The app contract (ADR 0009): an app added with its folder and one line in INSTALLED_APPS shows
up everywhere it declared, and the hubs name no app.

tests/contrib_app is installed by the settings under pytest only; nothing outside its folder
names it. Here it is seen in the menu, on the meeting page, in "Waiting for me" (page and API),
in a filed dossier, in the scheduler and in the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from meetops.core.registry import AlreadyRegistered, MenuEntry, registry
from meetops.core.scheduler import JOBS, run_due_jobs
from meetops.records import services as records
from meetops.records.tests.conftest import conclude
from tests.contrib_app import contributions

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "meetops"


@pytest.fixture
def tester(make_user):
    return make_user("contrib-tester", roles=("member",))


def test_the_app_is_installed_by_one_line_and_found_automatically():
    assert apps.is_installed("tests.contrib_app")
    assert registry["menu"].owners["contrib_app.board"] == "contrib_app"
    assert registry["jobs"].owners["contrib_app.tick"] == "contrib_app"


@pytest.mark.django_db
def test_its_menu_entry_shows_in_the_menu(client, tester, member):
    client.force_login(tester)
    page = client.get(reverse("dashboard")).content.decode()
    menu = page[page.index('class="mainnav"') : page.index("</nav>")]
    assert '<a href="/contrib/">Contrib board</a>' in menu
    # After the other apps' entries: its declared order.
    assert menu.index("Contrib board") > menu.index('href="/audit/"')
    client.force_login(member)
    assert "Contrib board" not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_its_tab_shows_on_the_meeting_page_it_chose(client, organiser, make_meeting):
    marked = make_meeting(title="[contrib] 例会")
    other = make_meeting(title="周例会")
    client.force_login(organiser)
    page = client.get(reverse("meeting_detail", args=[marked.pk])).content.decode()
    assert f'href="/contrib/?meeting={marked.pk}" id="contrib-tab"' in page
    # Among the meeting's buttons, before the full history.
    assert page.index('id="contrib-tab"') < page.index("object_type=meeting&amp;object_id")
    assert (
        'id="contrib-tab"'
        not in client.get(reverse("meeting_detail", args=[other.pk])).content.decode()
    )


@pytest.mark.django_db
def test_its_items_wait_for_me_on_the_page_and_in_the_api(client, tester, member, api_as):
    client.force_login(tester)
    page = client.get(reverse("approvals")).content.decode()
    assert 'data-kind="contrib"' in page and "Contrib item" in page
    rows = api_as(tester).get("/api/v1/approvals").json()
    assert [(r["kind"], r["meeting_id"], r["title"]) for r in rows] == [
        ("contrib", None, "Contrib")
    ]
    assert api_as(member).get("/api/v1/approvals").json() == []


@pytest.mark.django_db
def test_its_document_is_filed_in_the_dossier(organiser, make_meeting):
    meeting = conclude(make_meeting(title="[contrib] 总结会"))
    _dossier, added = records.file_meeting(meeting, actor=organiser)
    note = next(d for d in added if d.source == "contrib_app.note")
    assert note.category.code == "other"
    with note.current.file.open("rb") as f:
        assert f.read() == b"contrib note"


@pytest.mark.django_db
def test_its_job_is_scheduled_and_runs(django_assert_max_num_queries):
    assert JOBS["contrib_app.tick"].every_seconds == 3600
    before = len(contributions.RUNS)
    assert "contrib_app.tick" in run_due_jobs(worker="contract-test")
    assert len(contributions.RUNS) == before + 1
    assert "contrib_app.tick" not in run_due_jobs(worker="contract-test")


@pytest.mark.django_db
def test_its_api_router_is_mounted(client, tester, api_as):
    assert api_as(tester).get("/api/v1/contrib/ping").json() == {"ok": True}
    assert "/api/v1/contrib/ping" in client.get("/api/v1/openapi.json").json()["paths"]


def test_a_second_app_cannot_take_its_menu_entry():
    with pytest.raises(AlreadyRegistered) as caught:
        registry["menu"].register(
            "contrib_app.board", MenuEntry("Again", "dashboard", order=1), owner="seating"
        )
    message = str(caught.value)
    assert "'contrib_app.board'" in message and "'contrib_app'" in message
    assert "'seating'" in message


# --- the hubs name no app ------------------------------------------------------------------

HUBS = {
    "config/api.py": None,
    "config/urls.py": None,
    "core/templates/base.html": "core",
    "core/context_processors.py": "core",
    "core/inbox.py": "core",
    "core/menu.py": "core",
    "meetings/templates/meetings/detail.html": "meetings",
    "meetings/templates/meetings/_body.html": "meetings",
    "reports/inbox.py": "reports",
    "records/gather.py": "records",
    "core/scheduler.py": "core",
}
# The floor every app stands on: people and meetings are named by design (a user, a meeting).
FLOOR = {"core", "people", "meetings"}
URL_NAME = re.compile(r"""name=["'](\w+)["']""")


def _names_of(label: str) -> list[str]:
    """What would name an app in a hub: its module path, template folder, URL namespace and
    the names of its URLs."""
    urls = PACKAGE / label / "urls.py"
    url_names = URL_NAME.findall(urls.read_text()) if urls.exists() else []
    names = [rf"meetops\.{label}\b", rf"\b{label}/", rf"""['"]{label}:"""]
    return names + [rf"""\{{% url ['"]{n}['"]""" for n in url_names]


def hub_offences(text: str, own: str | None) -> list[str]:
    labels = [c.label for c in apps.get_app_configs() if c.name.startswith("meetops.")]
    return [
        f"{label}: {pattern}"
        for label in labels
        if label not in FLOOR and label != own
        for pattern in _names_of(label)
        if re.search(pattern, text)
    ]


@pytest.mark.parametrize("hub", sorted(HUBS))
def test_no_hub_names_an_app(hub):
    assert hub_offences((PACKAGE / hub).read_text(), HUBS[hub]) == []


def test_the_hub_check_sees_a_hand_kept_entry():
    assert hub_offences("{% include 'budget/_meeting_links.html' %}", "meetings")
    assert hub_offences("from meetops.venues.api import router", None)
    assert hub_offences("""<a href="{% url 'approvals' %}">""", "core")
    assert not hub_offences("for source in registry['inbox'].ordered(): ...", "core")
