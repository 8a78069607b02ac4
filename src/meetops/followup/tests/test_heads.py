"""Department heads in the follow-up (P8.8, ADR 0022): they see and give their department's
items, hear about overdue items first, and have the department's board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.followup import services
from meetops.followup.models import Escalation
from meetops.followup.selectors import department_board, items_for
from meetops.notifications.models import OutboxMessage
from meetops.people.services import set_department_heads

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(make_user, departments, admin_user):
    """The head of 财务处 (above 预算科, where the owner works)."""
    person = make_user("head", department=departments["finance"])
    set_department_heads(departments["finance"], heads=[person], actor=admin_user)
    return person


@pytest.fixture
def colleague(make_user, departments):
    return make_user("colleague", department=departments["budget"])


def test_a_head_sees_the_items_of_their_department_and_below(
    make_item, head, make_user, departments
):
    item = make_item(title="预算方案")
    it_person = make_user("netman", department=departments["it"])
    other = make_item(title="网络改造", owner=it_person)
    visible = set(items_for(head).values_list("title", flat=True))
    assert "预算方案" in visible and "网络改造" not in visible
    assert (
        items_for(head).filter(pk=item.pk).exists()
        and not items_for(head).filter(pk=other.pk).exists()
    )


def test_a_head_gives_an_item_to_someone_of_the_department_who_is_told(
    make_item, head, colleague, owner
):
    item = make_item()
    assigned = services.assign_action(item, actor=head, owner=colleague)
    assert assigned.owner == colleague
    entry = AuditEntry.objects.filter(action="followup.action.assigned").get()
    assert entry.actor_id == head.pk and entry.changes["owner"] == [str(owner), str(colleague)]
    assert OutboxMessage.objects.filter(event="action.assigned", user=colleague).exists()


def test_a_head_may_not_give_work_outside_their_departments(
    make_item, head, make_user, departments
):
    stranger = make_user("stranger", department=departments["it"])
    with pytest.raises(ValidationFailed) as refused:
        services.assign_action(make_item(), actor=head, owner=stranger)
    assert refused.value.code == "not_in_department"


def test_someone_who_heads_nothing_may_not_give_work(make_item, colleague, owner):
    with pytest.raises(PermissionDenied):
        services.assign_action(make_item(), actor=colleague, owner=colleague)


def test_an_overdue_item_goes_to_the_head_first_then_to_the_organisers(make_item, head, organiser):
    late = make_item(title="逾期事项", due_in=-3)
    today = timezone.localdate()
    first = services.escalate_overdue(today=today, after_days=3)
    assert [(e.action_id, e.stage) for e in first] == [(late.pk, "heads")]
    assert list(first[0].recipients.all()) == [head]
    assert services.escalate_overdue(today=today, after_days=3) == []
    # Twice as long overdue: the organisers and leaders hear of it.
    later = services.escalate_overdue(today=today + timedelta(days=3), after_days=3)
    assert [(e.action_id, e.stage) for e in later] == [(late.pk, "leaders")]
    assert list(later[0].recipients.all()) == [organiser]
    assert services.escalate_overdue(today=today + timedelta(days=9), after_days=3) == []
    assert Escalation.objects.filter(action=late).count() == 2


def test_without_a_head_up_the_tree_it_goes_straight_to_the_organisers(make_item, organiser):
    late = make_item(title="逾期事项", due_in=-3)
    made = services.escalate_overdue(today=timezone.localdate(), after_days=3)
    assert [(e.action_id, e.stage) for e in made] == [(late.pk, "leaders")]
    assert list(made[0].recipients.all()) == [organiser]


def test_a_head_who_owns_the_item_is_skipped_for_the_head_above(
    make_item, head, make_user, departments, admin_user
):
    budget_head = make_user("budget-head", department=departments["budget"])
    set_department_heads(departments["budget"], heads=[budget_head], actor=admin_user)
    late = make_item(title="科长的事", due_in=-3, owner=budget_head)
    made = services.escalate_overdue(today=timezone.localdate(), after_days=3)
    assert [list(e.recipients.all()) for e in made if e.action_id == late.pk] == [[head]]


def test_a_problem_the_doer_raises_reaches_their_head_too(item, owner, head, organiser):
    escalation = services.raise_escalation(item, actor=owner, kind="resources", text_="缺人手")
    assert set(escalation.recipients.all()) == {head, organiser}


def test_the_department_board_lists_open_items_in_fixed_queries(
    make_item, head, make_user, departments, client
):
    make_item(title="逾期事项", due_in=-2)
    make_item(title="下周到期", due_in=7)
    client.force_login(head)
    url = f"/followup/departments/{departments['finance'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    for n in range(4):
        make_item(title=f"更多事项{n}", due_in=n)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(few) == len(more)
    text = page.content.decode()
    assert "逾期事项" in text and "下周到期" in text and 'name="owner"' in text
    rows, totals = department_board(head, departments["finance"])
    assert totals["overdue"] == 1 and len(rows) == 6


def test_the_department_board_is_not_for_members_or_outsiders(
    head, colleague, outsider, departments, client
):
    url = f"/followup/departments/{departments['finance'].pk}/"
    for person in (colleague, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(head)
    assert client.get(url).status_code == 200


def test_a_head_gives_work_from_the_board(make_item, head, colleague, client):
    item = make_item()
    client.force_login(head)
    answer = client.post(f"/followup/actions/{item.pk}/assign/", {"owner": colleague.pk})
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.owner == colleague


def test_the_api_board_and_assign(make_item, head, colleague, outsider, departments, api_as):
    item = make_item(title="逾期事项", due_in=-2)
    answer = api_as(head).get(f"/api/v1/followup/departments/{departments['finance'].pk}/board")
    assert answer.status_code == 200
    assert [i["title"] for i in answer.json()["items"]] == ["逾期事项"]
    assert answer.json()["counts"]["overdue"] == 1
    hidden = api_as(outsider).get(f"/api/v1/followup/departments/{departments['finance'].pk}/board")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"
    done = api_as(head).post(f"/api/v1/actions/{item.pk}/assign", {"owner_id": colleague.pk})
    assert done.status_code == 200 and done.json()["owner_id"] == colleague.pk
    refused = api_as(outsider).post(f"/api/v1/actions/{item.pk}/assign", {"owner_id": outsider.pk})
    # The meeting is internal, so the outsider sees the item: refused, not hidden.
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
