"""Publishing announcements: who they reach, on which channels, once, and who may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.notifications.models import OutboxMessage, RobotEndpoint
from meetops.promotion import services
from meetops.promotion.models import Recipient
from meetops.promotion.selectors import available_channels

EVENT = "promotion.announcement"


def _personal(announcement: Any) -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(event=EVENT, user__isnull=False).order_by(
        "user__username", "channel"
    )
    return [
        (m.user.username, m.channel) for m in rows if m.url.startswith(announcement.link_prefix)
    ]


def test_departments_reach_their_subtree_and_groups_their_members(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any], group: Any, people: Any
) -> None:
    announcement = announce(meeting, departments=[departments["academic"]], groups=[group])

    recipients = {
        r.user.username: r.via for r in Recipient.objects.filter(announcement=announcement)
    }
    academic = f"department:{departments['academic'].pk}"
    # 李 is in 考务科 below 教务处 and in the group: the department names him; 离职的 gone is not told.
    assert recipients == {"zhang": academic, "li": academic, "wang": f"group:{group.pk}"}
    assert _personal(announcement) == [
        ("li", "email"),
        ("li", "inapp"),
        ("wang", "email"),
        ("wang", "inapp"),
        ("zhang", "email"),
        ("zhang", "inapp"),
    ]
    # Each message carries its person's own tracked link.
    zhang = Recipient.objects.get(announcement=announcement, user__username="zhang")
    urls = set(
        OutboxMessage.objects.filter(event=EVENT, user=zhang.user).values_list("url", flat=True)
    )
    assert urls == {f"/notices/{announcement.pk}/go/{zhang.token}"}
    body = OutboxMessage.objects.filter(event=EVENT, user=zhang.user, channel="email").get().body
    assert zhang.token in body and "请各单位安排人员参加" in body


def test_publishing_again_tells_only_people_not_told_before(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any], organiser: Any
) -> None:
    announcement = announce(meeting, departments=[departments["exams"]])
    assert [u for u, _c in _personal(announcement)] == ["li", "li"]

    services.republish_announcement(
        announcement,
        actor=organiser,
        title="欢迎参加教学工作会议（更新）",
        text="地点改为行政楼报告厅。",
        departments=[departments["academic"]],
        channels=["inapp", "email"],
    )

    # 张 is new; 李, already told, gets nothing twice.
    assert _personal(announcement) == [
        ("li", "email"),
        ("li", "inapp"),
        ("zhang", "email"),
        ("zhang", "inapp"),
    ]
    announcement.refresh_from_db()
    assert announcement.times_published == 2 and announcement.title.endswith("（更新）")


def test_only_the_chosen_channels_are_used(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any]
) -> None:
    announcement = announce(meeting, departments=[departments["exams"]], channels=["email"])
    assert _personal(announcement) == [("li", "email")]


def test_robots_of_the_audience_departments_get_one_message_however_often_published(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any], organiser: Any
) -> None:
    exams = RobotEndpoint.objects.create(
        name="考务群",
        kind="wecom",
        url="https://robot.example.org/exams",
        department=departments["exams"],
    )
    RobotEndpoint.objects.create(
        name="财务群",
        kind="dingtalk",
        url="https://robot.example.org/fin",
        department=departments["finance"],
    )
    args = {"departments": [departments["academic"]], "channels": ["robots"]}
    announcement = announce(meeting, **args)
    services.republish_announcement(
        announcement, actor=organiser, title="再次提醒", text="请准时参加。", **args
    )

    robots = OutboxMessage.objects.filter(event=EVENT, robot__isnull=False)
    assert [(m.robot_id, m.url) for m in robots] == [(exams.pk, f"/notices/{announcement.pk}/")]
    # Robots alone tell no one personally.
    assert _personal(announcement) == []


def test_work_im_is_offered_only_when_a_platform_is_configured(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any]
) -> None:
    assert "im" not in [value for value, _label in available_channels()]
    with pytest.raises(DomainError) as refused:
        announce(meeting, departments=[departments["exams"]], channels=["im"])
    assert refused.value.code == "unknown_channel"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"departments": []}, "no_audience"),
        ({"channels": []}, "no_channel"),
        ({"public_page": True}, "not_public"),
        ({"title": "  "}, "required"),
        ({"channels": ["inapp", "fax"]}, "unknown_channel"),
    ],
)
def test_refusals_carry_their_code_and_write_nothing(
    announce: Callable[..., Any],
    meeting: Any,
    departments: dict[str, Any],
    fields: dict[str, Any],
    code: str,
) -> None:
    values = {"departments": [departments["exams"]], **fields}
    with pytest.raises(DomainError) as refused:
        announce(meeting, **values)
    assert refused.value.code == code
    assert not meeting.announcements.exists()
    assert not OutboxMessage.objects.filter(event=EVENT).exists()


def test_only_managers_announce_and_never_a_confidential_or_closed_meeting(
    announce: Callable[..., Any],
    make_meeting: Callable[..., Any],
    meeting: Any,
    departments: dict[str, Any],
    member: Any,
) -> None:
    exams = [departments["exams"]]
    with pytest.raises(DomainError) as refused:
        announce(meeting, actor=member, departments=exams)
    assert refused.value.code == "forbidden"

    secret = make_meeting(title="人事会议", confidentiality="confidential")
    with pytest.raises(DomainError) as refused:
        announce(secret, departments=exams)
    assert refused.value.code == "cannot_announce"
    assert not Recipient.objects.exists()


def test_a_group_the_organiser_may_not_use_is_refused(
    announce: Callable[..., Any], meeting: Any, make_user: Callable[..., Any], people: Any
) -> None:
    from meetops.invitations.services.groups import save_group

    other = make_user("other_organiser", roles=("organiser",))
    private = save_group(actor=other, name="私人名单", users=[people["wang"]])
    with pytest.raises(DomainError) as refused:
        announce(meeting, groups=[private])
    assert refused.value.code == "unknown_group"


def test_publishing_is_audited_on_the_meeting(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any], organiser: Any
) -> None:
    announcement = announce(meeting, departments=[departments["exams"]])
    entry = AuditEntry.objects.get(action="promotion.announcement.published")
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "meeting",
        str(meeting.pk),
        organiser.pk,
    )
    assert entry.data["announcement"] == announcement.pk
    assert entry.data["new_recipients"] == 1
    assert entry.data["channels"] == ["inapp", "email"]


def test_a_failure_while_queueing_leaves_nothing_behind(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any], monkeypatch: Any
) -> None:
    def broken(**kwargs: Any) -> int:
        raise RuntimeError("outbox down")

    monkeypatch.setattr(services.notify, "enqueue", broken)
    with pytest.raises(RuntimeError):
        announce(meeting, departments=[departments["exams"]])
    assert not meeting.announcements.exists()
    assert not AuditEntry.objects.filter(action__startswith="promotion.").exists()


def test_a_meeting_closed_while_the_announcement_was_written_is_not_announced(
    announce: Callable[..., Any], meeting: Any, departments: dict[str, Any]
) -> None:
    """The organiser's page still shows the meeting open (the object in hand); meanwhile
    someone closed it. Publishing, or publishing again, reads the meeting afresh, locked."""
    first = announce(meeting, departments=[departments["academic"]])
    sent = OutboxMessage.objects.filter(event=EVENT).count()
    meeting.__class__.objects.filter(pk=meeting.pk).update(stage="closed")
    assert not meeting.is_frozen  # the stale copy the page held

    with pytest.raises(DomainError) as caught:
        announce(meeting, departments=[departments["academic"]], title="再次提醒")
    assert caught.value.code == "cannot_announce"
    first.meeting = meeting
    with pytest.raises(DomainError) as caught:
        services.republish_announcement(
            first,
            actor=first.created_by,
            title="改期",
            text="改期通知",
            departments=[departments["academic"]],
            channels=["inapp"],
        )
    assert caught.value.code == "cannot_announce"
    assert OutboxMessage.objects.filter(event=EVENT).count() == sent
    assert Recipient.objects.filter(announcement__title="再次提醒").count() == 0
