"""Issue 16 finding 17(a): the people picker's suggestions, by name, pinyin or initials."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_suggestions_find_people_by_pinyin_and_initials_in_name_order(client, make_user, member):
    make_user("u1", display_name="王芳")
    make_user("u2", display_name="汪峰")
    make_user("u3", display_name="李强")
    client.force_login(member)
    page = client.get("/people/suggest/", {"q": "wangf"}).content.decode()
    assert 'data-pick="u1"' in page and 'data-pick="u2"' in page and "u3" not in page
    assert 'data-pick="u3"' in client.get("/people/suggest/", {"q": "lq"}).content.decode()
    assert "data-pick" not in client.get("/people/suggest/", {"q": ""}).content.decode()


def test_suggestions_need_a_signed_in_person(client, make_user):
    make_user("u1", display_name="王芳")
    response = client.get("/people/suggest/", {"q": "wangf"})
    assert response.status_code == 302 and "u1" not in response.content.decode()
