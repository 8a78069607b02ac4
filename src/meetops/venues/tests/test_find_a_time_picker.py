"""Issue 16 finding 17(a): find a time and a room shows a people picker; the people a link
names come back as chips (by name), the field still carries their user names."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_page_offers_a_people_picker_with_the_chosen_as_chips(client, organiser, make_user):
    make_user("u1024", display_name="王芳")
    client.force_login(organiser)
    page = client.get("/venues/find-a-time").content.decode()
    assert page.count("data-people-picker") == 2 and "/people/suggest/" in page
    page = client.get("/venues/find-a-time", {"required": "u1024"}).content.decode()
    chips = page.split("data-picker-chips")[1].split("</ul>")[0]
    assert 'data-username="u1024"' in chips and "王芳" in chips
    assert 'value="u1024"' in page  # the form's own field keeps the user names


def test_the_date_pickers_get_iso_dates_whatever_the_language(client, organiser):
    """In zh-Hans the dates came as "2026/12/08", which a date input shows as empty: being
    required, they stopped the form from being sent at all (found by the picker's browser test)."""
    client.force_login(organiser)
    page = client.get("/venues/find-a-time", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert re.search(r'name="window_start" value="\d{4}-\d{2}-\d{2}"', page)
    assert re.search(r'name="window_end" value="\d{4}-\d{2}-\d{2}"', page)
