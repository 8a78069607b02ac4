"""Issue 16 finding 17(a): find a time and a room shows a people picker; the people a link
names come back as chips (by name), the field still carries their user names."""

from __future__ import annotations

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
