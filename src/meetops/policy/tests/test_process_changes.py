"""P10.4: a new process version is announced to the people who run meetings, and everyone can read what changed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from meetops.notifications.models import OutboxMessage
from meetops.policy import services as process
from meetops.policy.changes import ADDED, CHANGED, REMOVED, changes_between, previous_version
from meetops.policy.models import ProcessTemplate

pytestmark = pytest.mark.django_db


def _publish_v2(admin_user) -> ProcessTemplate:
    draft = process.draft_new_version(actor=admin_user, notes="P2.9 不再强制；新增 P5.6 应急演练")
    p29 = draft.steps.get(clause="P2.9")
    p29.required = False
    p29.title_zh_hans = "制定应急预案（仅大型会议）"
    p29.save()
    draft.steps.filter(clause="P8.10").delete()
    draft.steps.create(
        stage="preparing",
        order=99,
        clause="P5.6",
        required=True,
        owner_role="organiser",
        title_zh_hans="组织应急演练",
        title_zh_hant="組織應急演練",
        title_en="Run the emergency drill",
    )
    return process.publish_version(draft, actor=admin_user)


def test_the_changes_are_matched_by_clause(admin_user):
    v2 = _publish_v2(admin_user)
    v1 = previous_version(v2)
    assert v1 is not None and v1.version == 1
    changes = {(c.kind, c.clause): c for c in changes_between(v1, v2)}
    assert (ADDED, "P5.6") in changes and (REMOVED, "P8.10") in changes
    p29 = changes[(CHANGED, "P2.9")]
    with translation.override("en"):
        assert [str(w) for w in p29.what] == ["wording", "required or optional"]
    assert len(changes) == 3  # nothing else differs


def test_publishing_tells_the_people_who_run_meetings_and_not_everyone(
    admin_user, organiser, member, make_user
):
    leader = make_user("leader1", roles=("leader",), email="leader1@example.org")
    leader.language = "en"
    leader.save()
    staff = make_user("staff1", roles=("staff",), email="staff1@example.org")
    organiser.email = "wang@example.org"
    organiser.save()
    v2 = _publish_v2(admin_user)

    rows = OutboxMessage.objects.filter(event="policy.version_published")
    told = {(m.user_id, m.channel) for m in rows if m.user_id}
    assert told == {
        (organiser.pk, "inapp"),
        (organiser.pk, "email"),
        (leader.pk, "inapp"),
        (leader.pk, "email"),
        (staff.pk, "inapp"),
        (staff.pk, "email"),
    }  # not the member, not the administrator who published it
    mail = rows.get(user=organiser, channel="email")
    assert "第 2 版" in mail.subject and "/process/v2/" in mail.body
    assert "P2.9 不再强制" in mail.body
    assert "新增 1 项步骤\n修改 1 项步骤\n删除 1 项步骤" in mail.body
    english = rows.get(user=leader, channel="email")
    assert "version 2" in english.subject and "1 step added" in english.body

    # Announced once: publishing code run again for the same version adds nothing.
    process._announce_version(v2, actor=admin_user)
    assert OutboxMessage.objects.filter(event="policy.version_published").count() == rows.count()


def test_everyone_reads_the_process_and_its_changes_but_drafts_only_admins(
    client, admin_user, member, django_assert_max_num_queries
):
    v2 = _publish_v2(admin_user)
    client.force_login(member)
    response = client.get(reverse("process_current"))
    assert response.status_code == 302 and response["Location"] == "/process/v2/"
    with django_assert_max_num_queries(12):
        page = client.get("/process/v2/").content.decode()
    assert "组织应急演练" in page and "P5.6" in page
    assert "制定应急预案（仅大型会议）" in page
    assert "措辞" in page and "必选或可选" in page  # what changed in P2.9
    assert "P2.9 不再强制" in page
    assert client.get("/process/v1/").status_code == 200

    draft = process.draft_new_version(actor=admin_user, notes="草稿")
    assert client.get(f"/process/v{draft.version}/").status_code == 404
    client.force_login(admin_user)
    assert client.get(f"/process/v{draft.version}/").status_code == 200
    assert v2.version == 2


def test_a_meeting_links_to_the_process_version_it_follows(client, organiser, make_meeting):
    meeting = make_meeting(title="按流程办的会")
    client.force_login(organiser)
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    link = reverse("process_template", args=[meeting.process_version_id])
    assert link in page
    assert client.get(link)["Location"] == f"/process/v{meeting.process_version.version}/"
