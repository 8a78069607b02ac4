"""Sign-in, lockout and the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_and_sign_in(client, organiser):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = client.post(reverse("login"), {"username": "organiser", "password": "pw-test-123"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_wrong_password_shows_an_error(client, organiser):
    response = client.post(reverse("login"), {"username": "organiser", "password": "nope"})
    assert response.status_code == 200
    assert 'class="flash error"' in response.content.decode()


def test_lockout_page_after_repeated_failures(client, organiser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "organiser", "password": "nope"})
    response = client.post(reverse("login"), {"username": "organiser", "password": "pw-test-123"})
    assert response.status_code == 429
    assert 'id="locked-out"' in response.content.decode()


def test_language_switch_changes_page_text_and_is_saved(client, organiser):
    client.force_login(organiser)
    page = client.get(reverse("meeting_list")).content.decode()
    assert "新建会议" in page and '<html lang="zh-hans">' in page  # default language
    client.post(
        reverse("set_language_preference"), {"language": "en", "next": reverse("meeting_list")}
    )
    organiser.refresh_from_db()
    assert organiser.language == "en"
    page = client.get(reverse("meeting_list")).content.decode()
    assert "New meeting" in page and "新建会议" not in page
    client.post(reverse("set_language_preference"), {"language": "zh-hant"})
    page = client.get(reverse("meeting_list")).content.decode()
    assert "新建會議" in page and 'aria-pressed="true">繁體' in page


def test_language_switch_rejects_foreign_redirects(client):
    response = client.post(
        reverse("set_language_preference"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    page = client.get(reverse("login")).content.decode()
    assert "Sign in" in page  # the cookie holds the choice before signing in
