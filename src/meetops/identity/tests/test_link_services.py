"""Linking outside accounts to people and just-in-time accounts (issue 11, items 1 and 6)."""

from __future__ import annotations

from typing import Any

import pytest

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.identity.models import ExternalDepartment, ExternalIdentity, Membership
from meetops.identity.providers import PersonAttributes
from meetops.identity.services import link_or_create_person
from meetops.identity.testing import FakeProvider
from meetops.people.models import User
from meetops.people.services import create_department

pytestmark = pytest.mark.django_db


def person(**fields: Any) -> PersonAttributes:
    base: dict[str, Any] = {"external_id": "u-1", "username": "zhangsan", "display_name": "张三"}
    return PersonAttributes(**{**base, **fields})


def test_first_sign_in_creates_a_member_in_the_directory_department() -> None:
    provider = FakeProvider("corp")
    dept = create_department(name="教务处", actor=None)
    ExternalDepartment.objects.create(provider="corp", external_id="ou-1", department=dept)

    user = link_or_create_person(
        provider=provider, attrs=person(email="zs@example.cn", department_ids=("ou-1",))
    )

    assert (user.username, user.display_name, user.email) == ("zhangsan", "张三", "zs@example.cn")
    assert user.department == dept
    assert user.role_codes == {"member"}
    assert not user.has_usable_password()
    link = ExternalIdentity.objects.get(user=user)
    assert (link.provider, link.external_id, link.last_login_at is not None) == (
        "corp",
        "u-1",
        True,
    )
    assert Membership.objects.get(user=user).is_main
    assert AuditEntry.objects.filter(
        action="identity.person.created", object_id=str(user.pk)
    ).exists()


def test_the_default_role_is_configurable(settings: Any) -> None:
    settings.MEETOPS_IDENTITY_DEFAULT_ROLE = "staff"
    user = link_or_create_person(provider=FakeProvider("corp"), attrs=person())
    assert user.role_codes == {"staff"}


def test_second_sign_in_finds_the_same_person_and_updates_them() -> None:
    provider = FakeProvider("corp")
    first = link_or_create_person(provider=provider, attrs=person())
    again = link_or_create_person(
        provider=provider, attrs=person(display_name="张三丰", username="zs2")
    )
    assert again.pk == first.pk
    assert User.objects.get(pk=first.pk).display_name == "张三丰"
    assert ExternalIdentity.objects.get().username == "zs2"
    assert User.objects.count() == 1


def test_an_existing_account_is_matched_by_email_then_linked(make_user: Any) -> None:
    existing = make_user("old-zhang", email="ZS@example.cn")
    user = link_or_create_person(provider=FakeProvider("corp"), attrs=person(email="zs@example.cn"))
    assert user.pk == existing.pk
    assert ExternalIdentity.objects.get().user_id == existing.pk


def test_an_existing_account_is_matched_by_mobile(make_user: Any) -> None:
    existing = make_user("old-zhang", phone="+86 138-0013-8000")
    user = link_or_create_person(provider=FakeProvider("corp"), attrs=person(mobile="13800138000"))
    assert user.pk == existing.pk


def test_two_accounts_with_the_same_email_are_a_conflict_not_a_guess(make_user: Any) -> None:
    make_user("a", email="zs@example.cn")
    make_user("b", email="zs@example.cn")
    with pytest.raises(DomainError) as caught:
        link_or_create_person(provider=FakeProvider("corp"), attrs=person(email="zs@example.cn"))
    assert caught.value.code == "identity_conflict"
    assert caught.value.details["candidates"] == ["a", "b"]
    assert not ExternalIdentity.objects.exists()


def test_an_account_linked_to_another_external_id_is_a_conflict(make_user: Any) -> None:
    provider = FakeProvider("corp")
    link_or_create_person(provider=provider, attrs=person(email="zs@example.cn"))
    with pytest.raises(DomainError) as caught:
        link_or_create_person(
            provider=provider,
            attrs=person(external_id="u-2", username="other", email="zs@example.cn"),
        )
    assert caught.value.details["reason"] == "email_linked_elsewhere"


def test_a_taken_username_gets_a_suffix_rather_than_joining_someone_else(make_user: Any) -> None:
    stranger = make_user("zhangsan", email="other@example.cn")
    user = link_or_create_person(provider=FakeProvider("corp"), attrs=person(email="zs@example.cn"))
    assert user.pk != stranger.pk
    assert user.username == "zhangsan-2"


def test_a_disabled_or_deactivated_person_cannot_sign_in(make_user: Any) -> None:
    provider = FakeProvider("corp")
    with pytest.raises(DomainError) as caught:
        link_or_create_person(provider=provider, attrs=person(active=False))
    assert caught.value.code == "account_disabled"
    user = link_or_create_person(provider=provider, attrs=person())
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(DomainError) as caught:
        link_or_create_person(provider=provider, attrs=person())
    assert caught.value.code == "account_disabled"


def test_without_just_in_time_accounts_an_unknown_person_is_refused(settings: Any) -> None:
    settings.MEETOPS_IDENTITY_CREATE_ON_LOGIN = False
    with pytest.raises(DomainError) as caught:
        link_or_create_person(provider=FakeProvider("corp"), attrs=person())
    assert caught.value.code == "jit_disabled"
    assert not User.objects.exists()
