"""The draft process version over the API, under /api/v1/process/draft (the process editor's
endpoints: read, start, add, change, move and remove steps, preview, publish). Administrators
only, as in the editor; the rules live in `policy.editor` and `policy.services`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status

from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.schemas import Input
from meetops.core.web import AuthedRequest
from meetops.policy import editor, services
from meetops.policy.changes import describe
from meetops.policy.models import ProcessTemplate, StepDefinition, in_process_order
from meetops.policy.permissions import can_edit_process

router = Router(tags=["process"])

StageCode = Literal[
    "draft", "preparing", "ready", "in_progress", "concluded", "following_up", "closed"
]
RoleCode = Literal["organiser", "host", "recorder", "speaker", "staff", "participant", "observer"]
CLAUSE = "A clause of the policy map, P1.1 to P10.5"
RULE = "A registered completion rule's code; empty: the owner signs the step off"


class DefinitionOut(Schema):
    id: int
    stage: str
    order: int = Field(..., description="The step's place within its stage, from 1")
    clause: str
    title: str
    title_zh_hans: str
    title_zh_hant: str
    title_en: str
    owner_role: str
    required: bool
    completion: str
    rule: str


class DraftOut(Schema):
    id: int
    version: int
    name: str
    based_on: int | None = Field(None, description="The version in force the draft changes")
    steps: list[DefinitionOut] = Field(..., description="Stage by stage, in order")


class StepIn(Input):
    stage: StageCode
    clause: str = Field(..., max_length=10, description=CLAUSE)
    title_zh_hans: str = Field(..., max_length=300)
    title_zh_hant: str = Field("", max_length=300)
    title_en: str = Field("", max_length=300)
    owner_role: RoleCode = "organiser"
    required: bool = True
    rule: str = Field("", max_length=80, description=RULE)


class StepPatch(Input):
    stage: StageCode | None = Field(None, description="Another stage: the step goes to its end")
    clause: str | None = Field(None, max_length=10, description=CLAUSE)
    title_zh_hans: str | None = Field(None, max_length=300)
    title_zh_hant: str | None = Field(None, max_length=300)
    title_en: str | None = Field(None, max_length=300)
    owner_role: RoleCode | None = None
    required: bool | None = None
    rule: str | None = Field(None, max_length=80, description=RULE)


class DraftStepMoveIn(Input):
    direction: Literal["up", "down"] = Field(..., description="Within the step's stage")


class ChangeOut(Schema):
    kind: str = Field(..., description="added, removed, changed or moved")
    clause: str
    title: str
    stage: str
    sentence: str = Field(..., description="The change in words, in the reader's language")


class PreviewOut(Schema):
    version: int
    seen: str = Field(..., description="Pass to publish: refused if the draft changed since")
    against_version: int | None
    changes: list[ChangeOut]


class PublishedOut(Schema):
    version: int
    is_current: bool
    published_at: datetime | None


def _check(request: AuthedRequest) -> None:
    if not can_edit_process(request.user):
        raise PermissionDenied()


def _draft(request: AuthedRequest) -> ProcessTemplate:
    _check(request)
    draft = editor.get_draft()
    if draft is None:
        raise NotFound(code="no_draft")
    return draft


def _step(request: AuthedRequest, definition_id: int) -> StepDefinition:
    _draft(request)
    step = editor.get_draft_step(definition_id)
    if step is None:
        raise NotFound()
    return step


def _definition_out(step: StepDefinition) -> DefinitionOut:
    return DefinitionOut(
        id=step.pk,
        stage=step.stage,
        order=step.order,
        clause=step.clause,
        title=step.title,
        title_zh_hans=step.title_zh_hans,
        title_zh_hant=step.title_zh_hant,
        title_en=step.title_en,
        owner_role=step.owner_role,
        required=step.required,
        completion=step.completion,
        rule=step.rule,
    )


def _draft_out(draft: ProcessTemplate) -> DraftOut:
    current = services.current_template()
    return DraftOut(
        id=draft.pk,
        version=draft.version,
        name=draft.name,
        based_on=current.version if current else None,
        steps=[_definition_out(s) for s in in_process_order(draft.steps.all())],
    )


@router.get("/draft", response=DraftOut, summary="The draft process version and its steps")
def read_draft(request: AuthedRequest) -> DraftOut:
    return _draft_out(_draft(request))


@router.post(
    "/draft",
    response={200: DraftOut, 201: DraftOut},
    summary="Start a draft from the version in force (or get the one in progress)",
)
def start_draft(request: AuthedRequest) -> Status:
    _check(request)
    existing = editor.get_draft()
    draft = editor.start_draft(actor=request.user)
    return Status(200 if existing else 201, _draft_out(draft))


@router.post(
    "/draft/steps", response={201: DefinitionOut}, summary="Add a step at the end of its stage"
)
def add_step(request: AuthedRequest, payload: StepIn) -> Status:
    step = editor.add_step(_draft(request), actor=request.user, **payload.dict())
    return Status(201, _definition_out(step))


@router.patch(
    "/draft/steps/{int:definition_id}", response=DefinitionOut, summary="Change a draft's step"
)
def change_step(request: AuthedRequest, definition_id: int, payload: StepPatch) -> DefinitionOut:
    values = payload.dict(exclude_unset=True)
    step = editor.update_step(_step(request, definition_id), actor=request.user, **values)
    return _definition_out(step)


@router.delete(
    "/draft/steps/{int:definition_id}", response={204: None}, summary="Remove a draft's step"
)
def remove_step(request: AuthedRequest, definition_id: int) -> Status:
    editor.remove_step(_step(request, definition_id), actor=request.user)
    return Status(204, None)


@router.post(
    "/draft/steps/{int:definition_id}/move",
    response=DraftOut,
    summary="Move a step up or down within its stage",
)
def move_step(request: AuthedRequest, definition_id: int, payload: DraftStepMoveIn) -> DraftOut:
    step = editor.move_step(
        _step(request, definition_id), actor=request.user, direction=payload.direction
    )
    return _draft_out(step.template)


@router.get("/draft/preview", response=PreviewOut, summary="What publishing the draft changes")
def preview(request: AuthedRequest) -> PreviewOut:
    draft = _draft(request)
    current = services.current_template()
    return PreviewOut(
        version=draft.version,
        seen=services.fingerprint(draft),
        against_version=current.version if current else None,
        changes=[
            ChangeOut(
                kind=c.kind,
                clause=c.clause,
                title=c.step.title,
                stage=c.step.stage,
                sentence=describe(c),
            )
            for c in editor.preview(draft)
        ],
    )


@router.post(
    "/draft/publish",
    response=PublishedOut,
    summary="Publish the draft: new meetings follow it, existing ones keep theirs",
)
def publish(request: AuthedRequest, seen: str | None = None) -> PublishedOut:
    template = services.publish_version(_draft(request), actor=request.user, seen=seen)
    return PublishedOut(
        version=template.version, is_current=template.is_current, published_at=template.published_at
    )
