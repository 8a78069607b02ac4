"""WeCom's address book as an identity provider for directory sync (reference §1.2).

Departments: `department/list` (the whole visible tree; root id 1; a larger `order` sorts
first). People: with the address-book secret, `user/list_id` page by page (cursor; one row
per person and department) and `user/get` for each; without it, `user/list` for each
department (not recursive), merged by user id. Mobile and e-mail come only where the app's
permissions give them; a sync that received none of either says so in its report.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetops.identity.providers import DepartmentAttributes, PersonAttributes
from meetops.workim.directory import ImDirectory
from meetops.workim.wecom.platform import WeCom, person_from

PAGE_LIMIT = 10000


class WeComDirectory(ImDirectory):
    platform_key = "wecom"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._notes: list[str | Promise] = []

    @property
    def wecom(self) -> WeCom:
        platform = self.platform
        assert isinstance(platform, WeCom)
        return platform

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        return person_from(raw)

    def list_departments(self) -> Iterator[DepartmentAttributes]:
        answer = self.wecom.contact_api().call("GET", "department/list")
        items = list(answer.get("department") or [])
        # WeCom sorts a larger `order` first; MeetOps sorts ascending: rank the siblings.
        ranked = sorted(items, key=lambda d: (-int(d.get("order") or 0), int(d["id"])))
        rank = {}
        seen: dict[Any, int] = {}
        for item in ranked:
            parent = item.get("parentid") or 0
            rank[item["id"]] = seen.get(parent, 0)
            seen[parent] = rank[item["id"]] + 1
        ids = {d["id"] for d in items}
        for item in items:
            parent = item.get("parentid") or 0
            yield DepartmentAttributes(
                external_id=str(item["id"]),
                name=str(item.get("name") or item["id"]),
                # The root (id 1, parent 0), or a department whose parent the app cannot see.
                parent_id=str(parent) if parent in ids else "",
                order=rank[item["id"]],
                raw=dict(item),
            )

    def list_people(self, *, department_ids: Sequence[str] = ()) -> Iterator[PersonAttributes]:
        self._notes = []
        if self.wecom.value("contact_secret"):
            people = list(self._by_id_list())
        else:
            people = list(self._by_department(department_ids))
        if people and not any(p.mobile for p in people):
            self._notes.append(
                _(
                    "WeCom gave no mobile numbers: the application lacks the permission to read "
                    "them (apps created after 2022-06-20 need the address-book secret)."
                )
            )
        if people and not any(p.email for p in people):
            self._notes.append(
                _("WeCom gave no e-mail addresses: people are matched by their WeCom user id only.")
            )
        return iter(people)

    def sync_notes(self) -> list[str | Promise]:
        return list(self._notes)

    def _by_id_list(self) -> Iterator[PersonAttributes]:
        api = self.wecom.contact_api()
        cursor, user_ids = "", dict[str, None]()
        while True:
            answer = api.call("POST", "user/list_id", body={"cursor": cursor, "limit": PAGE_LIMIT})
            for row in answer.get("dept_user") or []:
                user_ids.setdefault(str(row["userid"]), None)
            cursor = str(answer.get("next_cursor") or "")
            if not cursor:
                break
        for user_id in user_ids:
            person = self.wecom.person(user_id)
            if person is not None:
                yield person

    def _by_department(self, department_ids: Sequence[str]) -> Iterator[PersonAttributes]:
        api = self.wecom.contact_api()
        wanted = list(department_ids) or [d.external_id for d in self.list_departments()]
        found: dict[str, PersonAttributes] = {}
        for dept in wanted:
            answer = api.call("GET", "user/list", params={"department_id": dept})
            for raw in answer.get("userlist") or []:
                found.setdefault(str(raw["userid"]), person_from(raw))
        return iter(found.values())
