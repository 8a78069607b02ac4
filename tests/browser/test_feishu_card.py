"""Deciding from a Feishu card, seen in chromium: the organiser's budget page says "waiting";
the leader presses Approve on the card (the stand-in sends the encrypted, signed
`card.action.trigger` to MeetOps over HTTP); the page, reloaded, says approved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def feishu(settings: Any) -> Iterator[Any]:
    from django.core.cache import cache
    from tests.servers import feishu_standin as standin
    from tests.servers.feishu_standin import FeishuStandIn, person

    server = FeishuStandIn(users=[person("u-leader", "王校长", "od-office")])
    settings.MEETOPS_FEISHU_API_BASE = server.base
    settings.MEETOPS_FEISHU_APP_ID = standin.APP_ID
    settings.MEETOPS_FEISHU_APP_SECRET = standin.APP_SECRET
    settings.MEETOPS_FEISHU_ENCRYPT_KEY = standin.ENCRYPT_KEY
    settings.MEETOPS_FEISHU_VERIFICATION_TOKEN = standin.VERIFICATION_TOKEN
    cache.clear()
    yield server
    server.close()
    cache.clear()


def test_a_budget_approved_on_the_card_shows_approved_on_the_page(
    open_page: Any,
    sign_in: Any,
    organiser: Any,
    make_user: Any,
    make_meeting: Any,
    feishu: Any,
    live_server: Any,
) -> None:
    from meetops.budget import services
    from meetops.identity.models import ExternalIdentity
    from meetops.notifications.models import Channel, OutboxMessage
    from meetops.notifications.worker import Worker

    leader = make_user("leader", roles=("leader",), email="leader@example.edu.cn")
    ExternalIdentity.objects.create(user=leader, provider="feishu", external_id="u-leader")
    meeting = make_meeting(title="飞书审批测试会")
    services.save_budget(
        meeting, lines=[{"category": "venue", "planned": "800.00"}], actor=organiser
    )
    services.submit_budget(meeting, actor=organiser)
    Worker().run_once()
    assert OutboxMessage.objects.get(channel=Channel.IM, user=leader).status == "sent"
    [card] = feishu.messages
    form = next(e for e in card["content"]["elements"] if e["tag"] == "form")
    approve = next(e for e in form["elements"] if e["tag"] == "action")["actions"][0]

    page = open_page()
    sign_in(page, organiser.username)
    page.goto(f"/meetings/{meeting.pk}/budget/")
    assert page.locator("#budget-status").inner_text().strip() != "已批准"

    status, answer = feishu.post(
        f"{live_server.url}/im/feishu/card/",
        feishu.card_action(
            user_id="u-leader", value=approve["value"], message_id=card["message_id"]
        ),
    )
    assert (status, answer["toast"]["content"]) == (200, "已批准")

    page.reload()
    assert page.locator("#budget-status").inner_text().strip() == "已批准"
