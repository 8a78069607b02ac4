""" "Waiting for me" and the destruction page ask the destruction flow who decides: never the
person who proposed it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from meetops.core.inbox import waiting_for
from meetops.records import services
from meetops.records.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(concluded, organiser):
    dossier, _added = services.file_meeting(concluded, actor=organiser)
    return dossier


def test_the_proposer_never_sees_their_own_destruction_another_leader_does(
    client, filed, make_user, leader, member
):
    proposer = make_user("boss", roles=("leader", "archivist"))
    Dossier.objects.filter(pk=filed.pk).update(retain_until=date.today() - timedelta(days=1))
    filed.refresh_from_db()
    proposal = services.propose_destruction(filed, actor=proposer, reason="期满")
    assert waiting_for(proposer) == []
    assert [(i.kind, i.url) for i in waiting_for(leader)] == [
        ("destruction", "/archive/destruction/")
    ]
    assert waiting_for(member) == []
    approve = f"/archive/destruction/{proposal.pk}/approve/"
    client.force_login(proposer)
    assert approve not in client.get("/archive/destruction/").content.decode()
    client.force_login(leader)
    assert approve in client.get("/archive/destruction/").content.decode()
