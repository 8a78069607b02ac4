"""Ten submits of one personal link at once leave exactly one answer (SQLite and PostgreSQL).

Each thread has its own connection, as each server process would. They queue on the
respondent's row lock (on SQLite on the IMMEDIATE write lock); for named questionnaires
the one-to-one link from the response to the person is the database's backstop.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from meetops.core.errors import DomainError
from meetops.evaluation import services
from meetops.evaluation.models import Respondent, Response
from meetops.evaluation.tests.conftest import full_answers

THREADS = 10


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_submits_make_one_answer(survey, organiser, anonymous):
    services.update_survey(survey, actor=organiser, title=survey.title, anonymous=anonymous)
    survey = services.open_survey(survey, actor=organiser)
    token = survey.respondents.get(name="钱晓梅").token
    answers = full_answers(survey)
    start = threading.Barrier(THREADS)
    codes: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            respondent = Respondent.objects.select_related("survey").get(token=token)
            services.submit_response(respondent, answers=answers)
            codes.append("ok")
        except DomainError as exc:
            codes.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(codes) == ["already_answered"] * (THREADS - 1) + ["ok"]
    assert Response.objects.filter(survey=survey).count() == 1
