"""Parsing the report pages' forms into service arguments."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict

from meetops.people.models import Department, User
from meetops.reports.models import SECTIONS, Instruction


def report_fields(data: QueryDict) -> tuple[dict[str, str], int | None]:
    fields = {k: data.get(k, "") for k in ("title", *SECTIONS)}
    raw = data.get("revision", "")
    return fields, int(raw) if raw.isdigit() else None


def chosen_leaders(data: QueryDict, candidates: list[User]) -> list[User]:
    wanted = set(data.getlist("leaders"))
    return [u for u in candidates if str(u.pk) in wanted]


def plan_rows(
    data: QueryDict,
    open_lines: list[Instruction],
    people: list[User],
    departments: list[Department],
) -> list[dict[str, Any]]:
    """One row per open instruction line that names an owner or a department."""
    by_user = {str(u.pk): u for u in people}
    by_dept = {str(d.pk): d for d in departments}
    rows = []
    for line in open_lines:
        owner = by_user.get(data.get(f"owner_{line.number}", ""))
        department = by_dept.get(data.get(f"department_{line.number}", ""))
        if owner is None and department is None:
            continue
        try:
            due = date.fromisoformat(data.get(f"due_{line.number}", ""))
        except ValueError:
            due = None
        rows.append(
            {"instruction": line, "owner": owner, "department": department, "due_date": due}
        )
    return rows
