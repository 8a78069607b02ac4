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
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError
from meetops.identity.providers import DepartmentAttributes, Kind, PersonAttributes, Provider
from meetops.workim.dingtalk.client import (
    ROOT_DEPARTMENT,
    DingTalkClient,
    DingTalkError,
    Throttled,
)

logger = logging.getLogger(__name__)

KEY = "dingtalk"
CONTACT_FIELDS = ("mobile", "email")
# A sync waits out DingTalk's per-second limit; a longer ban fails the run (it is retried later).
MAX_WAIT = 5.0


def mobile_of(raw: Mapping[str, Any]) -> str:
    """The mobile as MeetOps keeps it: the number alone in China, "+code number" elsewhere."""
    number = str(raw.get("mobile") or "").strip()
    code = str(raw.get("state_code") or "86").strip().lstrip("+")
    if not number or code in ("", "86"):
        return number
    return f"+{code} {number}"


class DingTalkDirectory(Provider):
    """The DingTalk organisation the app belongs to (configured with MEETOPS_DINGTALK_*)."""

    kind = Kind.LOGIN_REDIRECT
    default_label: ClassVar[Any] = _("Sign in with DingTalk")

    def __init__(self, key: str, *, client: DingTalkClient, **kwargs: Any) -> None:
        super().__init__(key, **kwargs)
        self.client = client
        # Contact fields DingTalk left out of every record of the last listing.
        self.withheld: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, key: str) -> Provider | None:
        # The platform holds the configuration (environment or the admin page).
        from meetops.workim.dingtalk.platform import client_or_none  # reason: avoid a cycle

        client = client_or_none()
        return None if client is None else cls(key, client=client)

    def login_url(self, request: Any, *, next_url: str = "") -> str:
        from meetops.workim.dingtalk.platform import login_url  # reason: avoid a cycle

        return login_url(next_url=next_url)

    # --- mapping ------------------------------------------------------------------------

    def map_attributes(self, raw: Mapping[str, Any]) -> PersonAttributes:
        depts = tuple(str(d) for d in raw.get("dept_id_list") or ())
        userid = str(raw.get("userid") or "")
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
            raw=dict(raw),
        )

    def person(self, userid: str) -> PersonAttributes:
        """One person as DingTalk has them now (`topapi/v2/user/get`)."""
        return self.map_attributes(self._call(self.client.user, userid))

    # --- directory ----------------------------------------------------------------------

    def list_departments(self) -> Iterator[DepartmentAttributes]:
        root = self._call(self.client.department, ROOT_DEPARTMENT)
        yield DepartmentAttributes(
            external_id=str(ROOT_DEPARTMENT), name=str(root.get("name") or ""), raw=root
        )
        for item in self._call(lambda: list(self.client.departments())):
            yield DepartmentAttributes(
                external_id=str(item["dept_id"]),
                name=str(item.get("name") or ""),
                parent_id=str(item.get("parent_id") or ROOT_DEPARTMENT),
                order=int(item.get("order") or 0),
                raw=item,
            )

    def list_people(self, *, department_ids: Sequence[str] = ()) -> Iterator[PersonAttributes]:
        ids = list(department_ids) or [d.external_id for d in self.list_departments()]
        seen: dict[str, dict[str, Any]] = {}
        for dept in ids:
            for raw in self._call(lambda d=dept: list(self.client.users_in(int(d)))):
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
            yield self.map_attributes(raw)

    def sync_notes(self) -> list[dict[str, str]]:
        """What the last listing lacked, for the sync report."""
        if not self.withheld:
            return []
        return [
            {
                "code": "fields_withheld",
                "message": str(
                    _(
                        "DingTalk did not give %(fields)s: the app lacks the contact permission "
                        "(通讯录个人信息读权限 / 成员信息读权限), so existing accounts could not be matched by them."
                    )
                    % {"fields": ", ".join(self.withheld)}
                ),
            }
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

