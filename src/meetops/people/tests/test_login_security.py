"""Login lockout after repeated failures (django-axes), and how passwords are stored."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

WRONG = {"username": "member", "password": "not-the-password"}
RIGHT = {"username": "member", "password": "pw-test-123"}


def test_right_password_logs_in(client, member):
    response = client.post("/login/", RIGHT)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(member.pk)


def test_four_failures_then_the_right_password_still_works(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/login/", WRONG).status_code == 200
    assert client.post("/login/", RIGHT).status_code == 302


def test_five_failures_lock_the_account_out_even_with_the_right_password(client, member):
    for _ in range(5):
        client.post("/login/", WRONG)
    response = client.post("/login/", RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, member, make_user):
    make_user("organiser", roles=("organiser",))
    for _ in range(5):
        client.post("/login/", WRONG)
    assert (
        client.post("/login/", {"username": "organiser", "password": "pw-test-123"}).status_code
        == 302
    )
    assert client.post("/login/", RIGHT, REMOTE_ADDR="127.0.0.2").status_code == 302


def test_production_hasher_order_puts_argon2_first():
    # Under tests a fast hasher is prepended; the production order follows it unchanged.
    production = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    assert production[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_session_and_csrf_protection_are_on(client):
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY
    csrf_client = type(client)(enforce_csrf_checks=True)
    assert csrf_client.post("/login/", RIGHT).status_code == 403
