"""The process editor's services (issue 16 finding 12; P10.1, P10.2): a draft edited stage by
stage, reordered only within a stage, refused input named by field, published for new meetings."""

from __future__ import annotations

import pytest
from django.utils import translation

from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.models import AuditEntry
from meetops.notifications.models import OutboxMessage
from meetops.policy import editor
from meetops.policy import services as process
from meetops.policy.changes import ADDED, CHANGED, MOVED, REMOVED, describe
from meetops.policy.models import Completion, StepDefinition, in_process_order

pytestmark = pytest.mark.django_db


def _stage(template, stage: str) -> list[str]:
    return list(
        template.steps.filter(stage=stage).order_by("order", "id").values_list("clause", flat=True)
    )


def _step(template, clause: str) -> StepDefinition:
    return template.steps.get(clause=clause)


NEW_STEP = {
    "stage": "preparing",
    "clause": "P5.6",
    "title_zh_hans": "组织应急演练",
    "title_zh_hant": "組織應急演練",
    "title_en": "Run the emergency drill",
    "owner_role": "organiser",
    "required": True,
    "rule": "",
}


def test_a_draft_copies_the_version_in_force_numbered_within_each_stage(admin_user):
    current = process.current_template()
    draft = editor.start_draft(actor=admin_user)
    assert draft.published_at is None and draft.version == current.version + 1
    assert editor.start_draft(actor=admin_user) == draft  # one draft at a time
    for stage in {s.stage for s in draft.steps.all()}:
        orders = list(
            draft.steps.filter(stage=stage).order_by("order").values_list("order", flat=True)
        )
        assert orders == list(range(1, len(orders) + 1))
    assert [s.clause for s in in_process_order(draft.steps.all())] == [
        s.clause for s in in_process_order(current.steps.all())
    ]


def test_a_step_moves_only_within_its_stage(admin_user):
    draft = editor.start_draft(actor=admin_user)
    preparing = _stage(draft, "preparing")
    first, second, last = preparing[0], preparing[1], preparing[-1]
    before_other = {s: _stage(draft, s) for s in ("draft", "ready")}

    editor.move_step(_step(draft, second), actor=admin_user, direction="up")
    assert _stage(draft, "preparing")[:2] == [second, first]
    # At the edges a step stays in its stage: never above the first or below the last.
    editor.move_step(_step(draft, second), actor=admin_user, direction="up")
    editor.move_step(_step(draft, last), actor=admin_user, direction="down")
    assert _stage(draft, "preparing")[0] == second and _stage(draft, "preparing")[-1] == last
    assert {s: _stage(draft, s) for s in ("draft", "ready")} == before_other
    assert _step(draft, second).stage == "preparing"

    moved = AuditEntry.objects.filter(action="policy.template.step_moved")
    assert moved.count() == 1 and moved.get().data["clause"] == second


def test_refused_input_names_each_field(admin_user):
    draft = editor.start_draft(actor=admin_user)
    bad = {
        **NEW_STEP,
        "clause": "P99.1",
        "title_zh_hans": "  ",
        "owner_role": "king",
        "rule": "venues.nothing_like_it",
    }
    with pytest.raises(ValidationFailed) as refused:
        editor.add_step(draft, actor=admin_user, **bad)
    error = refused.value
    assert error.code == "invalid_step"
    assert error.details["fields"] == ["clause", "title_zh_hans", "owner_role", "rule"]
    with translation.override("en"):
        problems = {p["field"]: p["problem"] for p in error.details["problems"]}
    assert "P2.2" in problems["clause"]
    assert not draft.steps.filter(clause="P99.1").exists()

    with pytest.raises(ValidationFailed) as refused:
        editor.move_step(_step(draft, "P2.2"), actor=admin_user, direction="sideways")
    assert refused.value.details["fields"] == ["direction"]


def test_add_edit_and_remove_steps_of_a_draft(admin_user):
    draft = editor.start_draft(actor=admin_user)
    added = editor.add_step(draft, actor=admin_user, **NEW_STEP)
    assert _stage(draft, "preparing")[-1] == "P5.6" and added.completion == Completion.SIGN_OFF

    changed = editor.update_step(
        added, actor=admin_user, rule="risks.emergency_plan_approved", required=False
    )
    assert changed.completion == Completion.AUTOMATIC and not changed.required
    # Given another stage, the step goes to the end of that stage.
    editor.update_step(added, actor=admin_user, stage="ready")
    assert _stage(draft, "ready")[-1] == "P5.6" and "P5.6" not in _stage(draft, "preparing")
    orders = list(
        draft.steps.filter(stage="preparing").order_by("order").values_list("order", flat=True)
    )
    assert orders == list(range(1, len(orders) + 1))

    editor.remove_step(_step(draft, "P5.6"), actor=admin_user)
    assert not draft.steps.filter(clause="P5.6").exists()
    actions = set(
        AuditEntry.objects.filter(action__startswith="policy.template.step_").values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "policy.template.step_added",
        "policy.template.step_changed",
        "policy.template.step_removed",
    }


def test_only_the_system_administrator_edits_the_process(admin_user, organiser, make_user):
    leader = make_user("leader1", roles=("leader",))
    draft = editor.start_draft(actor=admin_user)
    step = _step(draft, "P2.2")
    for person in (organiser, leader):
        with pytest.raises(PermissionDenied):
            editor.start_draft(actor=person)
        with pytest.raises(PermissionDenied):
            editor.add_step(draft, actor=person, **NEW_STEP)
        with pytest.raises(PermissionDenied):
            editor.move_step(step, actor=person, direction="down")
        with pytest.raises(PermissionDenied):
            editor.remove_step(step, actor=person)
        with pytest.raises(PermissionDenied):
            process.publish_version(draft, actor=person)
    assert draft.steps.filter(pk=step.pk).exists()


def test_under_separation_of_duties_the_system_administrator_still_edits(make_user, settings):
    settings.MEETOPS_SEPARATION_OF_DUTIES = True
    admin = make_user("sysadmin", roles=("admin",))
    draft = editor.start_draft(actor=admin)
    editor.move_step(_step(draft, "P2.3"), actor=admin, direction="up")
    assert _stage(draft, "preparing")[0] == "P2.3"


def test_the_preview_says_in_words_what_changes_for_new_meetings(admin_user):
    draft = editor.start_draft(actor=admin_user)
    editor.add_step(draft, actor=admin_user, **NEW_STEP)
    editor.remove_step(_step(draft, "P8.10"), actor=admin_user)
    editor.update_step(_step(draft, "P2.9"), actor=admin_user, required=False)
    editor.move_step(_step(draft, "P2.3"), actor=admin_user, direction="up")

    changes = editor.preview(draft)
    kinds = {(c.kind, c.clause) for c in changes}
    assert kinds == {(ADDED, "P5.6"), (REMOVED, "P8.10"), (CHANGED, "P2.9"), (MOVED, "P2.3")}
    with translation.override("zh-hans"):
        words = {c.clause: describe(c) for c in changes}
    assert words["P5.6"] == "在“筹备中”阶段新增 P5.6“组织应急演练”。"
    assert "P2.3" in words["P2.3"] and "第一步" in words["P2.3"]
    with translation.override("en"):
        assert describe(next(c for c in changes if c.kind == CHANGED)) == (
            f"P2.9 “{_step(draft, 'P2.9').title_en}” changes: required or optional."
        )


def test_publishing_applies_to_new_meetings_only_and_closes_the_draft(admin_user, make_meeting):
    old = make_meeting(title="旧流程会议")
    old_steps = list(old.steps.values_list("clause", "order", "stage"))
    draft = editor.start_draft(actor=admin_user)
    editor.add_step(draft, actor=admin_user, **NEW_STEP)
    editor.move_step(_step(draft, "P2.3"), actor=admin_user, direction="up")

    published = process.publish_version(draft, actor=admin_user)
    assert published.is_current and published.published_at is not None
    assert editor.get_draft() is None

    old.refresh_from_db()
    assert old.process_version.version == draft.version - 1
    assert list(old.steps.values_list("clause", "order", "stage")) == old_steps
    new = make_meeting(title="新流程会议")
    assert new.process_version == published
    preparing = list(
        new.steps.filter(stage="preparing").order_by("order", "id").values_list("clause", flat=True)
    )
    assert preparing[0] == "P2.3" and preparing[-1] == "P5.6"

    audit = AuditEntry.objects.filter(action="policy.template.published", object_id=str(draft.pk))
    assert audit.count() == 1 and audit.get().actor == admin_user
    assert OutboxMessage.objects.filter(event="policy.version_published").exists()

    with pytest.raises(DomainError) as refused:
        editor.add_step(draft, actor=admin_user, **{**NEW_STEP, "clause": "P5.7"})
    assert refused.value.code == "version_published"
    with pytest.raises(DomainError) as refused:
        process.publish_version(draft, actor=admin_user)
    assert refused.value.code == "version_published"
    assert AuditEntry.objects.filter(action="policy.template.published").count() == 1
