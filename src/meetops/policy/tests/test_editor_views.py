"""The process editor's pages and API (issue 16 finding 12), and the process page grouped by stage."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from meetops.policy import editor
from meetops.policy import services as process
from meetops.policy.models import StepDefinition, in_process_order

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
EN = {"Accept-Language": "en"}


def _clauses_of_stage(page: str, stage: str) -> list[str]:
    section = page.split(f'data-stage="{stage}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="editor-step" id="def-\d+" data-clause="([^"]+)"', section)


def test_a_step_out_of_global_order_stays_under_its_own_stage_heading(
    client, admin_user, organiser, make_meeting
):
    """The walk's finding: a new step ordered between two preparing steps showed a second
    "In progress" heading between two "Preparing" sections."""
    draft = process.draft_new_version(actor=admin_user)
    # What the Django admin allowed: one order across stages (versions before the editor)...
    for i, step in enumerate(in_process_order(draft.steps.all())):
        StepDefinition.objects.filter(pk=step.pk).update(order=(i + 1) * 10)
    first_preparing = draft.steps.filter(stage="preparing").order_by("order").first()
    # ...and a new step of a later stage ordered amid the preparing steps.
    StepDefinition.objects.create(
        template=draft,
        stage="in_progress",
        order=first_preparing.order + 5,
        clause="P3.7",
        title_zh_hans="会场安全巡查",
        title_en="Venue security round",
        owner_role="staff",
    )
    version = process.publish_version(draft, actor=admin_user)

    client.force_login(admin_user)
    page = client.get(reverse("process_version", args=[version.version]), headers=EN)
    body = page.content.decode()
    assert body.count("<h2>Preparing</h2>") == 1
    assert body.count("<h2>In progress</h2>") == 1
    assert body.index("<h2>Preparing</h2>") < body.index("<h2>In progress</h2>")
    in_progress = body.split("<h2>In progress</h2>", 1)[1].split("</section>", 1)[0]
    assert "P3.7" in in_progress

    meeting = make_meeting(title="按新流程的会")
    client.force_login(organiser)
    detail = client.get(reverse("meeting_detail", args=[meeting.pk]), headers=EN).content.decode()
    assert len(re.findall(r'stage-block \w+" data-stage="preparing"', detail)) == 1
    assert len(re.findall(r'stage-block \w+" data-stage="in_progress"', detail)) == 1


def test_the_editor_is_linked_for_the_system_administrator_only(client, admin_user, organiser):
    client.force_login(organiser)
    assert reverse("process_editor") not in client.get("/").content.decode()
    refused = client.get(reverse("process_editor"), headers=EN)
    assert refused.status_code == 403 and "<html" in refused.content.decode()
    assert client.post(reverse("process_editor")).status_code == 403
    assert editor.get_draft() is None

    client.force_login(admin_user)
    assert f'href="{reverse("process_editor")}"' in client.get("/").content.decode()
    page = client.get(reverse("process_editor"), headers=EN).content.decode()
    assert "Start a draft from the version in force" in page


def test_reordering_with_and_without_javascript(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    response = client.post(reverse("process_editor"))
    assert response.status_code == 302
    draft = editor.get_draft()
    assert draft is not None
    page = client.get(reverse("process_editor")).content.decode()
    first, second = _clauses_of_stage(page, "preparing")[:2]
    assert page.count('data-stage="preparing"') == 1
    second_step = draft.steps.get(clause=second)

    with django_assert_max_num_queries(40):
        fragment = client.post(
            reverse("process_editor_move", args=[second_step.pk]), {"direction": "up"}, headers=HTMX
        )
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert _clauses_of_stage(body, "preparing")[:2] == [second, first]

    plain = client.post(
        reverse("process_editor_move", args=[second_step.pk]), {"direction": "down"}
    )
    assert plain.status_code == 302 and plain["Location"] == reverse("process_editor")
    page = client.get(reverse("process_editor")).content.decode()
    assert _clauses_of_stage(page, "preparing")[:2] == [first, second]


def test_a_refused_edit_keeps_the_input_beside_the_field(client, admin_user):
    draft = editor.start_draft(actor=admin_user)
    step = draft.steps.get(clause="P2.2")
    client.force_login(admin_user)
    prefix = f"s{step.pk}"
    page = client.get(reverse("process_editor"), {"edit": step.pk}).content.decode()
    # One form at a time: the page stays light on a phone.
    assert f'name="{prefix}-clause"' in page
    assert len(re.findall(r'name="s\d+-clause"', page)) == 1
    assert '<optgroup label="P2 ' in page  # the clause picker, by section of the policy
    data = {
        f"{prefix}-stage": "preparing",
        f"{prefix}-clause": "P2.2",
        f"{prefix}-title_zh_hans": "",
        f"{prefix}-title_zh_hant": "預訂會場（新）",
        f"{prefix}-title_en": "Book the venue (new)",
        f"{prefix}-owner_role": "organiser",
        f"{prefix}-required": "on",
        f"{prefix}-rule": "",
    }
    response = client.post(reverse("process_editor_update", args=[step.pk]), data, headers=EN)
    body = response.content.decode()
    assert response.status_code == 422
    assert "Book the venue (new)" in body and "This field is required." in body
    step.refresh_from_db()
    assert step.title_en != "Book the venue (new)"

    data[f"{prefix}-title_zh_hans"] = "预订会场（新）"
    data[f"{prefix}-rule"] = "venues.booking_confirmed"
    response = client.post(reverse("process_editor_update", args=[step.pk]), data)
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.title_zh_hans == "预订会场（新）" and step.rule == "venues.booking_confirmed"


def test_preview_then_publish_from_the_pages(client, admin_user, organiser):
    draft = editor.start_draft(actor=admin_user)
    client.force_login(admin_user)
    add = {
        "stage": "preparing",
        "add-preparing-stage": "preparing",
        "add-preparing-clause": "P5.6",
        "add-preparing-title_zh_hans": "组织应急演练",
        "add-preparing-owner_role": "organiser",
        "add-preparing-required": "on",
        "add-preparing-rule": "",
    }
    assert client.post(reverse("process_editor_add"), add).status_code == 302
    preview = client.get(reverse("process_editor_preview"), headers=EN).content.decode()
    assert "P5.6 “组织应急演练” is added to Preparing." in preview

    client.force_login(organiser)
    assert client.get(reverse("process_editor_preview")).status_code == 403
    assert client.post(reverse("process_editor_publish")).status_code == 403

    client.force_login(admin_user)
    seen = re.search(r'name="seen" value="(\w+)"', preview).group(1)
    # Someone else edits the draft after this preview: what was read is not what would go out.
    editor.update_step(draft.steps.get(clause="P5.6"), actor=admin_user, required=False)
    stale = client.post(reverse("process_editor_publish"), {"seen": seen}, headers=EN)
    assert stale.status_code == 409 and "look at the preview again" in stale.content.decode()
    assert process.current_template().pk != draft.pk

    preview = client.get(reverse("process_editor_preview")).content.decode()
    seen = re.search(r'name="seen" value="(\w+)"', preview).group(1)
    response = client.post(reverse("process_editor_publish"), {"seen": seen})
    assert response["Location"] == reverse("process_version", args=[draft.version])
    assert process.current_template().pk == draft.pk


def test_the_draft_over_the_api(api_as, admin_user, organiser):
    api = api_as(admin_user)
    missing = api.get("/api/v1/process/draft")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "no_draft"
    started = api.post("/api/v1/process/draft")
    assert started.status_code == 201
    draft = started.json()
    assert api.post("/api/v1/process/draft").status_code == 200  # the same draft
    preparing = [s for s in draft["steps"] if s["stage"] == "preparing"]
    assert [s["order"] for s in preparing] == list(range(1, len(preparing) + 1))

    bad = api.post(
        "/api/v1/process/draft/steps",
        {"stage": "preparing", "clause": "P0.0", "title_zh_hans": "x", "rule": "no.such"},
    )
    error = bad.json()["error"]
    assert bad.status_code == 422 and error["code"] == "invalid_step"
    assert [f["field"] for f in error["details"]["fields"]] == ["clause", "rule"]
    problems = {p["field"]: p["problem"] for p in error["details"]["problems"]}
    assert "P2.2" in problems["clause"] and set(problems) == {"clause", "rule"}

    added = api.post(
        "/api/v1/process/draft/steps",
        {"stage": "preparing", "clause": "P5.6", "title_zh_hans": "组织应急演练"},
    )
    assert added.status_code == 201 and added.json()["order"] == len(preparing) + 1
    step_id = added.json()["id"]
    moved = api.post(f"/api/v1/process/draft/steps/{step_id}/move", {"direction": "up"})
    clauses = [s["clause"] for s in moved.json()["steps"] if s["stage"] == "preparing"]
    assert clauses[-2] == "P5.6"
    changed = api.patch(f"/api/v1/process/draft/steps/{step_id}", {"required": False})
    assert changed.status_code == 200 and changed.json()["required"] is False

    preview = api.get("/api/v1/process/draft/preview").json()
    assert {(c["kind"], c["clause"]) for c in preview["changes"]} >= {("added", "P5.6")}

    refused = api_as(organiser).post("/api/v1/process/draft/publish")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    published = api.post("/api/v1/process/draft/publish")
    assert published.status_code == 200 and published.json()["is_current"] is True
    assert api.delete(f"/api/v1/process/draft/steps/{step_id}").status_code == 404
