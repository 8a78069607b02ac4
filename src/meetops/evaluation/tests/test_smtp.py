"""End to end: the personal link leaves through the outbox and the worker to a real SMTP server, and works."""

from __future__ import annotations

import re

import pytest

from meetops.evaluation import services
from meetops.evaluation.models import Response
from meetops.notifications.models import OutboxMessage
from meetops.notifications.tests.conftest import smtp  # noqa: F401 - a real SMTP server on loopback
from meetops.notifications.worker import Worker

pytestmark = pytest.mark.django_db


def test_the_expert_gets_a_mail_whose_link_answers_the_questionnaire(
    smtp,  # noqa: F811
    survey,
    organiser,
    client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.open_survey(survey, actor=organiser)
    Worker().run_once()
    (mail,) = [m for m in smtp.messages if m["To"] == "qian@expert.example.org"]
    sent = OutboxMessage.objects.get(address="qian@expert.example.org")
    assert sent.subject == "会议反馈问卷：年度教学工作会议"
    assert str(mail["Subject"]).strip() == sent.subject  # (the parser keeps the fold's space)
    body = mail.get_body(("plain",)).get_content()
    path = re.search(r"/feedback/[\w-]+", body).group(0)
    questions = list(survey.questions.order_by("order"))
    data = {f"q{q.pk}": "4" for q in questions if q.kind == "rating"}
    assert client.post(path, data).status_code == 302
    assert Response.objects.get().respondent.name == "钱晓梅"
