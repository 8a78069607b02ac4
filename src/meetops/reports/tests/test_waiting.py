""" "Waiting for me" and the report page ask the report's flow who decides: never its submitter,
even on an approval row chosen before the rule (ADR 0010)."""

from __future__ import annotations

import pytest

from meetops.core.inbox import waiting_for
from meetops.meetings.services import add_participant
from meetops.reports import services
from meetops.reports.models import ReportApproval

pytestmark = pytest.mark.django_db


def test_the_submitter_sees_no_decision_on_their_report(
    client, recorded, organiser, make_user, leader
):
    both = make_user("both", roles=("organiser", "leader"))
    add_participant(recorded, actor=organiser, user=both, role="organiser")
    report = services.draft_report(recorded, actor=both)
    services.submit_report(report, actor=both, leaders=[leader])
    # A row from before the rule: the submitter was chosen as one of the leaders.
    ReportApproval.objects.create(report=report, leader=both)
    assert waiting_for(both) == []
    assert [(i.kind, i.meeting) for i in waiting_for(leader)] == [("report", recorded)]
    url = f"/meetings/{recorded.pk}/report/"
    client.force_login(both)
    assert 'id="report-decide"' not in client.get(url).content.decode()
    client.force_login(leader)
    assert 'id="report-decide"' in client.get(url).content.decode()
