"""Feishu's contacts as an identity provider for directory sync (reference §3.2):
`meetops directory sync feishu`.

People are linked by `user_id` (the per-tenant id, needs `contact:user.employee_id:readonly`);
without that permission the platform leaves it out and the `open_id` (ou_…) is used instead,
which messages accept as well. Mobile and e-mail come only with their own permissions: absent,
they are left empty, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from meetops.identity.providers import DepartmentAttributes, PersonAttributes
from meetops.workim.directory import ImDirectory

ROOT = "0"


def department_attributes(raw: Mapping[str, Any]) -> DepartmentAttributes:
    parent = str(raw.get("parent_department_id") or "")
    try:
        order = int(raw.get("order") or 0)
    except (TypeError, ValueError):
        order = 0
    return DepartmentAttributes(
        external_id=str(raw.get("open_department_id") or raw.get("department_id") or ""),
        name=str(raw.get("name") or ""),
        parent_id="" if parent == ROOT else parent,
        order=order,
        head_ids=_leaders(raw),
        raw=raw,
    )


def _leaders(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """The department's heads: `leader_user_id` (the main one) and every `leaders` entry."""
    ids = [str(raw.get("leader_user_id") or "")]
    ids += [str(row.get("leaderID") or "") for row in raw.get("leaders") or () if row]
    return tuple(dict.fromkeys(i for i in ids if i))


def _active(status: Mapping[str, Any]) -> bool:
    return not any(status.get(flag) for flag in ("is_resigned", "is_exited", "is_frozen"))


def person_attributes(raw: Mapping[str, Any]) -> PersonAttributes:
    user_id = str(raw.get("user_id") or raw.get("open_id") or "")
    departments = tuple(str(d) for d in raw.get("department_ids") or () if str(d) != ROOT)
    main = next(
        (
            str(o.get("department_id"))
            for o in raw.get("orders") or ()
            if o.get("is_primary_dept") and str(o.get("department_id")) in departments
        ),
        "",
    )
    return PersonAttributes(
        external_id=user_id,
        username=str(raw.get("user_id") or raw.get("employee_no") or user_id),
        display_name=str(raw.get("name") or ""),
        email=str(raw.get("email") or raw.get("enterprise_email") or ""),
        mobile=str(raw.get("mobile") or ""),
        title=str(raw.get("job_title") or ""),
        department_ids=departments,
        main_department_id=main,
        active=_active(raw.get("status") or {}),
        raw=raw,
    )


class FeishuDirectory(ImDirectory):
    platform_key = "feishu"
    default_label = _("Feishu / Lark")

    def list_departments(self) -> Iterator[DepartmentAttributes]:
        for raw in self.platform.api().departments(ROOT):
            if not (raw.get("status") or {}).get("is_deleted"):
                yield department_attributes(raw)

    def list_people(self, *, department_ids: Sequence[str] = ()) -> Iterator[PersonAttributes]:
        """The direct members of each department (the root's too), each person once."""
        api = self.platform.api()
        wanted = list(department_ids) or [ROOT, *(d.external_id for d in self.list_departments())]
        seen: set[str] = set()
        for department_id in wanted:
            for raw in api.people_in(department_id):
                attrs = person_attributes(raw)
                if attrs.external_id and attrs.external_id not in seen:
                    seen.add(attrs.external_id)
                    yield attrs

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        return person_attributes(raw)
