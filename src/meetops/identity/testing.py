"""A provider that lives in memory, for tests of anything built on the identity layer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.http import HttpRequest

from meetops.identity.providers import DepartmentAttributes, Kind, PersonAttributes, Provider


class FakeProvider(Provider):
    """Knows the people and departments it is given; `passwords` maps username → password."""

    def __init__(
        self,
        key: str = "fake",
        *,
        kind: Kind = Kind.PASSWORD,
        people: Sequence[PersonAttributes] = (),
        departments: Sequence[DepartmentAttributes] = (),
        passwords: Mapping[str, str] | None = None,
        managed_roles: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(key, label=key)
        self.kind = kind  # type: ignore[misc]
        self.people = list(people)
        self.departments = list(departments)
        self.passwords = dict(passwords or {})
        self._managed_roles = managed_roles

    @property
    def managed_roles(self) -> frozenset[str]:
        return self._managed_roles

    def authenticate(
        self, request: HttpRequest | None, **credentials: Any
    ) -> PersonAttributes | None:
        username = credentials.get("username", "")
        if not username or self.passwords.get(username) != credentials.get("password"):
            return None
        return next((p for p in self.people if p.username == username), None)

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        return PersonAttributes(**dict(raw))

    def list_departments(self) -> Iterator[DepartmentAttributes]:
        return iter(self.departments)

    def list_people(self, *, department_ids: Sequence[str] = ()) -> Iterator[PersonAttributes]:
        return iter(self.people)
