"""Two-factor sign-in (django-otp TOTP + recovery codes), required of administrators by
MEETOPS_ADMIN_2FA=1, optional for everyone; reset by the security administrator."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.people import two_factor

pytestmark = pytest.mark.django_db

ADMIN = {"username": "admin", "password": "pw-test-123"}


def _code(device: TOTPDevice, ahead: int = 0) -> str:
    # One step ahead is inside the tolerance and never a code already used.
    return f"{totp(device.bin_key, t0=device.t0, step=device.step, digits=device.digits, drift=ahead):06d}"


@pytest.fixture
def required(settings: Any) -> Any:
    settings.MEETOPS_ADMIN_2FA = True
    return settings


def _set_up(client: Any, user: Any) -> list[str]:
    page = client.get("/me/two-factor/")
    assert page.status_code == 200 and "totp-key" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/me/two-factor/", {"token": _code(device)})
    return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


def test_an_administrator_must_set_it_up_before_anything_else(client, admin_user, required):
    response = client.post("/login/", ADMIN)
    assert client.get("/").status_code == 302
    assert client.get("/meetings/")["Location"].startswith("/me/two-factor/?next=")
    assert client.get("/api/v1/me").status_code == 401  # the session is not signed in yet
    assert client.get("/notifications/bell/", headers={"HX-Request": "true"}).status_code == 204
    assert response.status_code == 302
    assert client.get("/me/two-factor/qr.svg")["Content-Type"] == "image/svg+xml"
    codes = _set_up(client, admin_user)
    assert len(codes) == 10
    assert client.get("/meetings/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert AuditEntry.objects.filter(action="people.two_factor.enabled").count() == 1


def test_a_wrong_code_does_not_turn_it_on(client, admin_user, required):
    client.post("/login/", ADMIN)
    client.get("/me/two-factor/")
    response = client.post("/me/two-factor/", {"token": "000000"})
    assert "totp-key" in response.content.decode() and 'role="alert"' in response.content.decode()
    assert not two_factor.has_two_factor(admin_user)
    assert client.get("/meetings/").status_code == 302


def test_next_time_the_code_is_asked_after_the_password(client, admin_user, required):
    client.post("/login/", ADMIN)
    recovery = _set_up(client, admin_user)
    client.post("/logout/")
    client.post("/login/", ADMIN)
    assert client.get("/meetings/")["Location"].startswith("/login/verify/")
    response = client.post("/login/verify/", {"token": "123456", "next": "/meetings/"})
    assert response.status_code == 200 and client.get("/meetings/").status_code == 302
    # A wrong code slows every device down (django-otp's throttling); the test does not wait.
    for model in (TOTPDevice, StaticDevice):
        model.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    device = TOTPDevice.objects.get(user=admin_user)
    response = client.post("/login/verify/", {"token": _code(device, 1), "next": "/meetings/"})
    assert response["Location"] == "/meetings/"
    assert client.get("/meetings/").status_code == 200
    actions = list(
        AuditEntry.objects.filter(action__startswith="people.sign_in")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["people.sign_in.code_failed", "people.sign_in.verified"]
    # A recovery code works once.
    for attempt in (1, 2):
        client.post("/logout/")
        client.post("/login/", ADMIN)
        client.post("/login/verify/", {"token": recovery[0]})
        assert (client.get("/meetings/").status_code == 200) is (attempt == 1)


def test_it_is_optional_for_others_and_then_asked_of_them_too(client, member, required):
    client.post("/login/", {"username": "member", "password": "pw-test-123"})
    assert client.get("/meetings/").status_code == 200
    _set_up(client, member)
    client.post("/logout/")
    client.post("/login/", {"username": "member", "password": "pw-test-123"})
    assert client.get("/meetings/")["Location"].startswith("/login/verify/")


def test_a_member_may_turn_it_off_an_administrator_may_not(member, admin_user, required):
    for user in (member, admin_user):
        device = two_factor.pending_device(user)
        two_factor.confirm_two_factor(user, token=_code(device), actor=user)
    two_factor.turn_off_two_factor(member, actor=member)
    assert not two_factor.has_two_factor(member)
    with pytest.raises(DomainError) as refused:
        two_factor.turn_off_two_factor(admin_user, actor=admin_user)
    assert refused.value.code == "two_factor_required"


def test_the_security_administrator_resets_a_lost_second_factor(client, make_user, settings):
    settings.MEETOPS_SEPARATION_OF_DUTIES = True
    system = make_user("sys", roles=("admin",))
    security = make_user("sec", roles=("security_admin",))
    lost = make_user("lost", roles=("member",))
    device = two_factor.pending_device(lost)
    two_factor.confirm_two_factor(lost, token=_code(device), actor=lost)
    reset = {"user": lost.pk, "reset_two_factor": "1"}
    client.force_login(system)
    # Under SoD the system administrator resets nobody's.
    assert client.post("/security/", reset).status_code == 403
    assert two_factor.has_two_factor(lost)
    client.force_login(security)
    response = client.post("/security/", reset)
    assert response.status_code == 302 and not two_factor.has_two_factor(lost)
    entry = AuditEntry.objects.get(action="people.two_factor.reset")
    assert entry.actor_id == security.pk and entry.object_id == str(lost.pk)


def test_api_tokens_are_not_asked_for_a_second_factor(client, admin_user, required):
    from meetops.people.services import create_api_token

    _token, raw = create_api_token(admin_user, actor=admin_user)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
