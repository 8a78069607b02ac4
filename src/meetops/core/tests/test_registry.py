"""The app contract's registry: named stores, filled by each app's contributions.py, that refuse
a key twice and say who holds it."""

from __future__ import annotations

import pytest

from meetops.core.demo import registered_loaders
from meetops.core.registry import (
    AlreadyRegistered,
    InboxSource,
    MenuEntry,
    Registry,
    Store,
    owner_of,
    registry,
)
from meetops.core.scheduler import JOBS, periodic
from meetops.notifications.events import register_event
from meetops.policy.rules import completion_rule

STORES = {
    "api_routers",
    "urls",
    "menu",
    "toolbar",
    "meeting_links",
    "inbox",
    "archive",
    "jobs",
    "completion_rules",
    "events",
    "audit_labels",
    "demo",
    "search",
    "search_index",
    "audit_scope",
    "page_slots",
    "meeting_hooks",
    "metrics",
    "message_decisions",
}


def test_the_registry_has_its_stores_and_no_others():
    assert set(registry) == STORES
    with pytest.raises(KeyError, match="Invalid store: widgets"):
        registry["widgets"]
    with pytest.raises(TypeError):
        registry["widgets"] = Store("widgets")
    with pytest.raises(TypeError):
        del registry["menu"]
    assert isinstance(registry, Registry)


def test_every_app_fills_the_stores_from_its_own_contributions():
    registered_loaders()  # demo loaders are found when the demo loads
    assert registry["api_routers"].owners["improvement"] == "improvement"
    assert registry["menu"].owners["rooms"] == "venues"
    assert registry["meeting_links"].owners["evaluation"] == "evaluation"
    assert registry["inbox"].owners["improvement.cases"] == "improvement"
    assert registry["archive"].owners["evaluation.results"] == "evaluation"
    assert registry["jobs"].owners["venues.release_no_shows"] == "venues"
    assert registry["completion_rules"].owners["venues.booking_confirmed"] == "venues"
    assert registry["events"].owners["meeting.invited"] == "notifications"
    assert registry["demo"].owners["people"] == "people"
    assert registry["search"].owners["records.archive"] == "records"


def test_a_store_refuses_a_duplicate_naming_the_key_and_both_owners():
    store: Store[MenuEntry] = Store("menu")
    store.register("rooms", MenuEntry("Rooms", "venues_room_list", order=1), owner="venues")
    with pytest.raises(AlreadyRegistered) as caught:
        store.register("rooms", MenuEntry("Rooms", "elsewhere", order=2), owner="seating")
    message = str(caught.value)
    assert "menu" in message and "'rooms'" in message
    assert "'venues'" in message and "'seating'" in message
    assert store["rooms"].url_name == "venues_room_list"
    # Plain assignment goes through the same check.
    with pytest.raises(AlreadyRegistered):
        store["rooms"] = MenuEntry("Rooms", "elsewhere", order=2)


def test_the_decorators_are_backed_by_the_registry_and_refuse_duplicates():
    with pytest.raises(AlreadyRegistered, match=r"'venues.release_no_shows'.*'venues'.*'core'"):
        periodic(every_seconds=60, name="venues.release_no_shows")(lambda: None)
    with pytest.raises(AlreadyRegistered, match=r"'venues.booking_confirmed'.*'venues'.*'core'"):
        completion_rule("venues.booking_confirmed", "again")(lambda meeting: True)
    with pytest.raises(AlreadyRegistered, match=r"'meeting.invited'.*'notifications'.*'core'"):
        register_event("meeting.invited", "again")
    assert JOBS["venues.release_no_shows"].every_seconds == 60


def test_owner_is_the_installed_app_of_the_module():
    assert owner_of("meetops.venues.services.notify") == "venues"
    assert owner_of("meetops.core.tests.test_registry") == "core"


def test_hubs_read_the_stores_in_their_declared_order():
    store: Store[InboxSource] = Store("inbox")
    store.register("b", InboxSource(lambda user, limit: [], order=20), owner="x")
    store.register("a", InboxSource(lambda user, limit: [], order=30), owner="x")
    store.register("c", InboxSource(lambda user, limit: [], order=10), owner="x")
    assert [s.order for s in store.ordered()] == [10, 20, 30]
    store.unregister("c")
    assert "c" not in store and "c" not in store.owners
