"""A save that changes nothing writes nothing: no audit entry, no row touched, and the page says
"nothing changed" (templates, registration settings, the answer-by date, a group's name)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetops.core.models import AuditEntry
from meetops.invitations.models import InvitationSettings, InvitationTemplate
from meetops.invitations.services import groups, public
from meetops.invitations.services import invitations as invites
from meetops.invitations.services.templates import save_template

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}


def _entries(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_the_same_template_saved_again_is_not_audited_and_keeps_its_editor(
    client, organiser, make_user
):
    admin = make_user("tmpl-admin", roles=("admin",))
    text = {"kind": None, "language": "en", "subject": "Hi", "body": "{{ meeting.title }}"}
    save_template(actor=organiser, **text)
    assert _entries("invitations.template.saved") == 1
    template = save_template(actor=admin, **{**text, "body": "  {{ meeting.title }}\n"})
    assert _entries("invitations.template.saved") == 1
    assert InvitationTemplate.objects.get(kind=None, language="en").updated_by == organiser
    save_template(actor=admin, **{**text, "subject": "Hello"})
    assert _entries("invitations.template.saved") == 2
    assert InvitationTemplate.objects.get(kind=None, language="en").updated_by == admin

    client.force_login(organiser)
    form = {"kind": "", "language": "en", "subject": "Hello", "body": "{{ meeting.title }}"}
    page = client.post("/invitations/templates/", {**form, "save": "1"}, follow=True, headers=ZH)
    assert "未作修改" in page.content.decode() and _entries("invitations.template.saved") == 2
    form["subject"] = "Dear"
    page = client.post("/invitations/templates/", {**form, "save": "1"}, follow=True, headers=ZH)
    assert "未作修改" not in page.content.decode() and _entries("invitations.template.saved") == 3
    assert template.pk == InvitationTemplate.objects.get(kind=None, language="en").pk


def test_the_same_registration_settings_are_not_audited(client, make_meeting, organiser):
    meeting = make_meeting(confidentiality="public")
    action = "invitations.registration.configured"
    public.set_registration(meeting, actor=organiser, open=True, capacity=10)
    assert _entries(action) == 1
    public.set_registration(meeting, actor=organiser, open=True, capacity=10)
    assert _entries(action) == 1
    public.set_registration(meeting, actor=organiser, open=True, capacity=12)
    assert _entries(action) == 2
    assert InvitationSettings.objects.get(meeting=meeting).capacity == 12

    client.force_login(organiser)
    url = f"/meetings/{meeting.pk}/rsvp/registration/"
    page = client.post(url, {"open": "on", "capacity": "12"}, follow=True, headers=ZH)
    assert "未作修改" in page.content.decode() and _entries(action) == 2
    page = client.post(url, {"capacity": "12"}, follow=True, headers=ZH)
    assert "未作修改" not in page.content.decode() and _entries(action) == 3
    assert InvitationSettings.objects.get(meeting=meeting).registration_open is False


def test_the_same_answer_by_date_is_not_audited(client, make_meeting, organiser):
    meeting = make_meeting()
    deadline = meeting.start - timedelta(days=1)
    invites.set_deadline(meeting, actor=organiser, deadline=deadline)
    invites.set_deadline(meeting, actor=organiser, deadline=deadline)
    assert _entries("invitations.deadline.set") == 1
    invites.set_deadline(meeting, actor=organiser, deadline=None)
    assert _entries("invitations.deadline.set") == 2

    client.force_login(organiser)
    url = f"/meetings/{meeting.pk}/rsvp/deadline/"
    page = client.post(url, {"deadline": ""}, follow=True, headers=ZH)
    assert "未作修改" in page.content.decode() and _entries("invitations.deadline.set") == 2


def test_a_group_renamed_to_its_own_name_is_not_audited(client, organiser):
    group = groups.save_group(actor=organiser, name="专家库")
    groups.rename_group(group, actor=organiser, name="专家库", shared=False)
    assert _entries("invitations.group.updated") == 0
    groups.rename_group(group, actor=organiser, name="专家库", shared=True)
    assert _entries("invitations.group.updated") == 1

    client.force_login(organiser)
    url = f"/groups/{group.pk}/rename/"
    page = client.post(url, {"name": "专家库", "shared": "on"}, follow=True, headers=ZH)
    assert "未作修改" in page.content.decode() and _entries("invitations.group.updated") == 1
    page = client.post(url, {"name": "评审专家", "shared": "on"}, follow=True, headers=ZH)
    assert "未作修改" not in page.content.decode() and _entries("invitations.group.updated") == 2
