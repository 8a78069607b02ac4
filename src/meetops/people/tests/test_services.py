"""People: accounts with roles, departments as a tree, personal API tokens, language."""

from __future__ import annotations

import pytest

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.people import services
from meetops.people.models import Department
from meetops.people.selectors import department_ids_of, users_in_department_subtree

pytestmark = pytest.mark.django_db


def test_create_user_with_roles_is_audited(admin_user):
    user = services.create_user(
        username="zhangsan",
        actor=admin_user,
        roles=["organiser", "leader"],
        password="S3cure-pass!",
    )
    assert user.role_codes == {"organiser", "leader"}
    assert user.check_password("S3cure-pass!")
    entry = AuditEntry.objects.get(object_type="user", object_id=str(user.pk))
    assert entry.action == "people.user.created" and entry.actor == admin_user


def test_passwords_are_hashed_with_argon2_outside_tests(settings):
    from meetops.config import settings as config

    assert "Argon2PasswordHasher" in next(h for h in config.PASSWORD_HASHERS if "MD5" not in h)


def test_only_admins_create_users(organiser):
    with pytest.raises(PermissionDenied):
        services.create_user(username="x", actor=organiser)


def test_unknown_role_and_taken_username_are_refused(admin_user):
    with pytest.raises(ValidationFailed) as exc:
        services.create_user(username="x", actor=admin_user, roles=["wizard"])
    assert exc.value.code == "unknown_role"
    services.create_user(username="taken", actor=admin_user)
    with pytest.raises(ValidationFailed) as exc:
        services.create_user(username="taken", actor=admin_user)
    assert exc.value.code == "username_taken"


def test_set_roles_replaces_roles_and_admin_flag(admin_user, member):
    services.set_roles(member, roles=["admin", "archivist"], actor=admin_user)
    member.refresh_from_db()
    assert member.is_superuser and member.role_codes == {"admin", "archivist"}


def test_department_subtree(admin_user, make_user):
    office = services.create_department(name="办公室", actor=admin_user)
    secretariat = services.create_department(name="秘书科", parent=office, actor=admin_user)
    finance = services.create_department(name="财务处", actor=admin_user)
    a = make_user("a", department=secretariat)
    make_user("b", department=finance)
    assert list(users_in_department_subtree(office)) == [a]
    assert department_ids_of(a) == [office.pk, secretariat.pk]


def test_rebuild_paths_after_move(admin_user):
    office = services.create_department(name="办公室", actor=admin_user)
    it = services.create_department(name="信息中心", actor=admin_user)
    Department.objects.filter(pk=it.pk).update(parent=office)
    services.rebuild_department_paths()
    it.refresh_from_db()
    assert it.path == f"/{office.pk}/{it.pk}/"


def test_token_authenticates_until_revoked(member):
    token, raw = services.create_api_token(member, actor=member)
    assert raw.startswith("mo_") and raw not in (token.digest, token.prefix)
    assert services.user_for_token(raw) == member
    services.revoke_api_token(token, actor=member)
    assert services.user_for_token(raw) is None
    assert services.user_for_token("mo_not-a-token") is None


def test_member_cannot_issue_tokens_for_others(member, outsider):
    with pytest.raises(PermissionDenied):
        services.create_api_token(outsider, actor=member)


def test_language_preference(member):
    services.set_language(member, language="zh-hant", actor=member)
    member.refresh_from_db()
    assert member.language == "zh-hant"
    with pytest.raises(ValidationFailed):
        services.set_language(member, language="klingon", actor=member)


def test_revoked_token_is_401_over_api(api_as, member, client):
    token, raw = services.create_api_token(member, actor=member)
    ok = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert ok.status_code == 200
    services.revoke_api_token(token, actor=member)
    denied = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert denied.status_code == 401 and denied.json()["error"]["code"] == "not_authenticated"
