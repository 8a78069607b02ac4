"""Promotion fixtures: a department tree with people in it, a saved group, and meetings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def departments(db: Any) -> dict[str, Any]:
    from meetops.people.services import create_department

    academic = create_department(name="教务处", actor=None)
    exams = create_department(name="考务科", actor=None, parent=academic)
    finance = create_department(name="财务处", actor=None)
    return {"academic": academic, "exams": exams, "finance": finance}


@pytest.fixture
def people(make_user: Callable[..., Any], departments: dict[str, Any]) -> dict[str, Any]:
    """Two people in 教务处 (one in its 考务科), one in 财务处, one who left."""
    found = {
        "zhang": make_user("zhang", email="zhang@example.org", department=departments["academic"]),
        "li": make_user("li", email="li@example.org", department=departments["exams"]),
        "wang": make_user("wang", email="wang@example.org", department=departments["finance"]),
        "gone": make_user("gone", email="gone@example.org", department=departments["academic"]),
    }
    found["gone"].is_active = False
    found["gone"].save(update_fields=["is_active"])
    return found


@pytest.fixture
def group(organiser: Any, people: dict[str, Any]) -> Any:
    from meetops.invitations.services.groups import save_group

    return save_group(actor=organiser, name="青年教师", users=[people["wang"], people["li"]])


@pytest.fixture
def meeting(make_meeting: Callable[..., Any]) -> Any:
    return make_meeting(title="教学工作会议", location="行政楼报告厅", confidentiality="internal")


@pytest.fixture
def public_meeting(make_meeting: Callable[..., Any]) -> Any:
    """A public meeting out of its draft: its public page is live."""
    meeting = make_meeting(title="校园开放日", location="大礼堂", confidentiality="public")
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    return meeting


@pytest.fixture
def announce(organiser: Any, people: dict[str, Any]) -> Callable[..., Any]:
    from meetops.promotion import services

    def make(meeting: Any, **fields: Any) -> Any:
        actor = fields.pop("actor", organiser)
        values: dict[str, Any] = {
            "title": "欢迎参加教学工作会议",
            "text": "请各单位安排人员参加。",
            "channels": ["inapp", "email"],
            **fields,
        }
        return services.publish_announcement(meeting, actor=actor, **values)

    return make


def deliver() -> None:
    """Let a worker send what is queued, as `meetops worker --burst` would."""
    from meetops.notifications.worker import Worker

    Worker().run_once(with_jobs=False)
