"""DingTalk as an identity provider: its organisation chart for directory sync
(`meetops directory sync dingtalk`) and its userid as the link to a person's account.

What DingTalk lists and how it becomes MeetOps' (reference §2.2):

- departments: the root (1, the organisation itself) and everything below it, walked with
  `topapi/v2/department/listsub`, in the admin's order;
- people: `topapi/v2/user/list` per department, by cursor; someone in several departments is
  listed in each and merged here. DingTalk names no main department: the first of
  `dept_id_list` is taken as the main one;
- `active: false` in DingTalk means "has not activated the DingTalk app yet", not "left":
  such people are members. Leavers are simply not listed (and `user_leave_org` says so);
- mobile and e-mail come only with the app's contact permissions (通讯录个人信息读权限,
  成员信息读权限). Without them the fields are absent, and the sync says so in its report.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.errors import DomainError
from meetops.identity.providers import DepartmentAttributes, PersonAttributes
from meetops.workim.dingtalk.client import (
    ROOT_DEPARTMENT,
    DingTalkClient,
    DingTalkError,
    Throttled,
)
from meetops.workim.directory import ImDirectory

logger = logging.getLogger(__name__)

CONTACT_FIELDS = {
    "mobile": pgettext_lazy("dingtalk", "mobile"),
    "email": pgettext_lazy("dingtalk", "e-mail"),
}
# A sync waits out DingTalk's per-second limit; a longer ban fails the run (it is retried later).
MAX_WAIT = 5.0


def mobile_of(raw: Mapping[str, Any]) -> str:
    """The mobile as MeetOps keeps it: the number alone in China, "+code number" elsewhere."""
    number = str(raw.get("mobile") or "").strip()
    code = str(raw.get("state_code") or "86").strip().lstrip("+")
    if not number or code in ("", "86"):
        return number
    return f"+{code} {number}"


def map_person(raw: Mapping[str, Any]) -> PersonAttributes:
    """A DingTalk user record (`topapi/v2/user/list|get`) as MeetOps' attributes."""
    depts = tuple(str(d) for d in raw.get("dept_id_list") or ())
    userid = str(raw.get("userid") or "")
    # `leader_in_dept`: [{dept_id, leader}] (部门主管); absent, DingTalk did not say.
    leader = raw.get("leader_in_dept")
    head_of = (
        tuple(str(row.get("dept_id")) for row in leader if row.get("leader"))
        if isinstance(leader, list)
        else None
    )
    return PersonAttributes(
        external_id=userid,
        username=userid,
        display_name=str(raw.get("name") or ""),
        email=str(raw.get("org_email") or raw.get("email") or ""),
        mobile=mobile_of(raw),
        title=str(raw.get("title") or ""),
        department_ids=depts,
        main_department_id=depts[0] if depts else "",
        active=True,
        head_of=head_of,
        raw=dict(raw),
    )


def map_department(raw: Mapping[str, Any]) -> DepartmentAttributes:
    dept_id = int(raw.get("dept_id") or ROOT_DEPARTMENT)
    parent = "" if dept_id == ROOT_DEPARTMENT else str(raw.get("parent_id") or ROOT_DEPARTMENT)
    return DepartmentAttributes(
        external_id=str(dept_id),
        name=str(raw.get("name") or ""),
        parent_id=parent,
        order=int(raw.get("order") or 0),
        raw=dict(raw),
    )


class DingTalkDirectory(ImDirectory):
    """The DingTalk organisation the app belongs to (configured with MEETOPS_DINGTALK_*)."""

    platform_key = "dingtalk"

    def __init__(self, key: str, **kwargs: Any) -> None:
        super().__init__(key, **kwargs)
        # Contact fields DingTalk left out of every record of the last listing.
        self.withheld: tuple[str, ...] = ()

    @property
    def client(self) -> DingTalkClient:
        client: DingTalkClient = self.platform.client()
        return client

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        return map_person(raw)

    # --- directory ----------------------------------------------------------------------

    def list_departments(self) -> Iterator[DepartmentAttributes]:
        client = self.client
        yield map_department(self._call(client.department, ROOT_DEPARTMENT))
        for item in self._call(lambda: list(client.departments())):
            yield map_department(item)

    def list_people(self, *, department_ids: Sequence[str] = ()) -> Iterator[PersonAttributes]:
        client = self.client
        ids = list(department_ids) or [d.external_id for d in self.list_departments()]
        seen: dict[str, dict[str, Any]] = {}
        for dept in ids:
            for raw in self._call(lambda d=dept: list(client.users_in(int(d)))):
                seen.setdefault(str(raw["userid"]), raw)
        self.withheld = tuple(
            name for name in CONTACT_FIELDS if seen and all(name not in r for r in seen.values())
        )
        if self.withheld:
            logger.warning(
                "dingtalk: the app may not read %s (grant 通讯录个人信息读权限 / 成员信息读权限)",
                ", ".join(self.withheld),
            )
        for raw in seen.values():
            yield map_person(raw)

    def sync_notes(self) -> list[str | Promise]:
        """What the last listing lacked, for the sync report."""
        if not self.withheld:
            return []
        return [
            _(
                "DingTalk did not give %(fields)s: the app lacks the contact permission "
                "(通讯录个人信息读权限 / 成员信息读权限), so existing accounts could not be matched by them."
            )
            % {"fields": ", ".join(str(CONTACT_FIELDS[f]) for f in self.withheld)}
        ]

    def _call(self, fn: Any, *args: Any) -> Any:
        """Call DingTalk; a per-second limit is waited out (three tries), other refusals are
        the sync's error with DingTalk's code."""
        for attempt in range(3):
            try:
                return fn(*args)
            except Throttled as exc:
                if attempt == 2 or (exc.retry_after or 0) > MAX_WAIT:
                    raise self._refused(exc) from exc
                time.sleep(exc.retry_after or 1.0)
            except DingTalkError as exc:
                raise self._refused(exc) from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _refused(exc: DingTalkError) -> DomainError:
        return DomainError(
            _("DingTalk refused: %(message)s") % {"message": str(exc)},
            "dingtalk_error",
            platform_code=exc.code,
        )
