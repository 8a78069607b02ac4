"""The permission matrix: every API operation and every page, as four people who must not get in.

Generated, not hand-listed: the API operations come from the OpenAPI document, the pages
from the URLconf, so a new endpoint is walked without anyone remembering to. Path ids are
filled with objects of ONE confidential meeting of the demo organisation (which has data
in nearly every app; every demo meeting is made confidential, so a fallback object of
another meeting is just as invisible). Each endpoint is called, reads with GET and writes
with the method it declares (pages: GET and POST), with a body that passes validation
where the schema allows, as:

- anonymous: API → 401, pages →
  redirect to the sign-in page;
- a plain member with no relation to the meeting, and an organiser of another department:
  anything naming an object of the confidential meeting is 404 (never 403, which would
  say it exists), writes never succeed, and no page or list they may open names the meeting;
- the meeting's lowest-role participant (an observer): writes never succeed, except the few
  a participant is meant to make (PARTICIPANT_MAY_WRITE, each with its reason);

and nothing answers 500. A write that does not succeed must also leave every table of
MeetOps as it was (row counts, and the audit log, which every write service appends to).

A path parameter this file cannot fill fails the test: map it in ID_SOURCES or VALUES.
An endpoint left out needs a named reason in SKIPPED.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

SECRET_TITLE = "矩阵机密会议-7Q"
MISSING_ID = 987654321

# "<literal segment before the parameter>/<parameter>" → the model whose row fills it.
# API paths are prefixed "api:". Objects of a meeting are taken from the confidential one.
ID_SOURCES: dict[str, str] = {
    "meetings/pk": "meetings.Meeting",
    "events/pk": "meetings.Meeting",
    "api:meetings/meeting_id": "meetings.Meeting",
    "actions/action_id": "minutes.ActionItem",
    "api:actions/action_id": "minutes.ActionItem",
    "api:bookings/booking_id": "venues.Booking",
    "bookings/pk": "venues.Booking",
    "api:expenses/expense_id": "budget.Expense",
    "expenses/expense_id": "budget.Expense",
    "api:dossiers/dossier_id": "records.Dossier",
    "dossiers/pk": "records.Dossier",
    "api:documents/document_id": "records.Document",
    "documents/pk": "records.Document",
    "api:destructions/destruction_id": "records.Destruction",
    "destruction/pk": "records.Destruction",
    "filings/pk": "records.FilingRun",
    "api:escalations/escalation_id": "followup.Escalation",
    "files/update_id": "followup.ActionUpdate",
    "api:improvements/measure_id": "improvement.Measure",
    "improvements/measure_id": "improvement.Measure",
    "api:lessons/lesson_id": "improvement.Lesson",
    "lessons/lesson_id": "improvement.Lesson",
    "api:cases/case_id": "improvement.Case",
    "cases/case_id": "improvement.Case",
    "from/ref": "evaluation.Answer",
    "api:items/item_id": "agenda.AgendaItem",
    "items/item_id": "agenda.AgendaItem",
    "materials/item_id": "agenda.AgendaItem",
    # Training (P9.4): the organisation's needs and courses, a person's external records.
    "api:needs/need_id": "training.TrainingNeed",
    "needs/need_id": "training.TrainingNeed",
    "api:courses/course_id": "training.Course",
    "courses/course_id": "training.Course",
    "materials/material_id": "training.CourseMaterial",
    "api:records/record_id": "training.ExternalTraining",
    "records/record_id": "training.ExternalTraining",
    "api:participants/participant_id": "meetings.Participant",
    "people/participant_id": "meetings.Participant",
    "api:questions/question_id": "live.Question",
    "questions/question_id": "live.Question",
    "api:risks/risk_id": "risks.Risk",
    "risks/risk_id": "risks.Risk",
    "api:signins/signin_id": "attendance.SignIn",
    "signin/signin_id": "attendance.SignIn",
    "api:steps/step_id": "policy.MeetingStep",
    "steps/step_id": "policy.MeetingStep",
    "api:support-tickets/ticket_id": "live.SupportTicket",
    "support/ticket_id": "live.SupportTicket",
    "seating/plan_id": "seating.SeatPlan",
    "comments/answer_id": "evaluation.Answer",
    "deliveries/pk": "notifications.OutboxMessage",
    "api:messages/message_id": "notifications.OutboxMessage",
    "api:notifications/notification_id": "notifications.Notification",
    "notifications/pk": "notifications.Notification",
    # Not of a meeting: shared by the organisation or owned by one person.
    "rooms/pk": "venues.Room",
    "api:rooms/room_id": "venues.Room",
    "buildings/pk": "venues.Building",
    "photos/photo_pk": "venues.RoomPhoto",
    "blackouts/blackout_pk": "venues.Blackout",
    "api:closures/closure_id": "venues.Blackout",
    "external/pk": "venues.ExternalVenue",
    "api:external-venues/venue_id": "venues.ExternalVenue",
    "waitlist/pk": "venues.WaitlistEntry",
    "api:waitlist/entry_id": "venues.WaitlistEntry",
    "groups/pk": "invitations.SavedGroup",
    "api:groups/group_id": "invitations.SavedGroup",
    "robots/pk": "notifications.RobotEndpoint",
    "webhooks/pk": "notifications.WebhookEndpoint",
    "api:webhooks/webhook_id": "notifications.WebhookEndpoint",
    "id/pk": "policy.ProcessTemplate",
    # Steps of process versions (the process editor edits only the draft's).
    "steps/definition_id": "policy.StepDefinition",
    "api:steps/definition_id": "policy.StepDefinition",
    "links/pk": "identity.ExternalIdentity",
    "run/pk": "identity.SyncRun",
    # Departments and people (heads' boards, performance; P8.8, P8.9).
    "departments/department_id": "people.Department",
    "api:departments/department_id": "people.Department",
    "people/user_id": "people.User",
    "api:people/user_id": "people.User",
    # Proposals to change the follow-up rules (P8.7): the organisation's, of no meeting.
    "proposals/proposal_id": "followup.RulesProposal",
    "api:proposals/proposal_id": "followup.RulesProposal",
    # The register of suppliers (P10.5): the organisation's, not a meeting's; a supplier's
    # link to a meeting and its rating there are the meeting's.
    "partners/supplier_id": "partners.Supplier",
    "api:partners/supplier_id": "partners.Supplier",
    "contacts/contact_id": "partners.Contact",
    "qualifications/qualification_id": "partners.Qualification",
    "api:qualifications/qualification_id": "partners.Qualification",
    "contracts/contract_id": "partners.Contract",
    "api:contracts/contract_id": "partners.Contract",
    "suppliers/link_id": "partners.Engagement",
    "api:links/link_id": "partners.Engagement",
    "api:ratings/rating_id": "partners.Rating",
    # Announcements (P2.7): a meeting's, and the notice board's.
    "announcements/aid": "promotion.Announcement",
    "api:announcements/announcement_id": "promotion.Announcement",
    "notices/aid": "promotion.Announcement",
}

# Parameters whose model has no row in the demo: filled with an id of nothing, which
# proves only "no 500, same answer for everyone". Each with why that is enough for now.
NO_DEMO_ROWS: dict[str, str] = {
    "api:destructions/destruction_id": "archivists' destruction approvals; no meeting's",
    "destruction/pk": "archivists' destruction approvals; no meeting's",
    "api:notifications/notification_id": "one's own bell items, loaded by owner",
    "notifications/pk": "one's own bell items, loaded by owner",
    "photos/photo_pk": "room photos: rooms are the organisation's, not a meeting's",
    "blackouts/blackout_pk": "room closures: admin pages",
    "api:closures/closure_id": "room closures: admin endpoints",
    "external/pk": "external venues: the organisation's list",
    "api:external-venues/venue_id": "external venues: the organisation's list",
    "waitlist/pk": "one's own waiting-list entries, loaded by owner",
    "api:waitlist/entry_id": "one's own waiting-list entries, loaded by owner",
    "robots/pk": "robots: admin pages",
    "webhooks/pk": "webhooks: admin pages",
    "api:webhooks/webhook_id": "webhooks: admin endpoints",
    "links/pk": "linked outside accounts: admin pages",
    "run/pk": "directory sync runs: admin pages",
}

# Parameters that are not row ids: a value that reaches the code behind them.
TOKEN = "not-a-token-of-anyone"  # a token is the credential itself: a wrong one must be 404
VALUES: dict[str, str] = {
    "rsvp/token": TOKEN,
    "feedback/token": TOKEN,
    "checkin/code": TOKEN,
    "meeting/token": TOKEN,
    "user/token": TOKEN,
    "tasks/token": TOKEN,
    "go/token": TOKEN,
    "api:rsvp/token": TOKEN,
    "api:feedback/token": TOKEN,
    "process/version": "1",
    # Work IM: a platform's key (unconfigured in the demo: its endpoints answer 404).
    "im/platform": "wecom",
    "settings/platform": "wecom",
    "api:instructions/number": "1",
    "api:items/item": "venue",
    "items/code": "venue",
    "api:items/action": "start",
    "api:live/action": "next",
    "do/action": "next",
    "questions/action": "vote",
    "support/action": "acknowledge",
    "bookings/action": "cancel",
    "budget/action": "submit",
    "emergency-plan/action": "submit",
    "evaluation/action": "done",
    "survey/action": "close",
    "minutes/move": "submit",
    "report/move": "submit",
    "actions/move": "review",
    "cases/action": "use",
    # A lesson or measure from a source (P6.7, P9.1): a questionnaire answer of the meeting.
    "from/kind": "survey_answer",
    "from/key": "satisfaction",
    "dossiers/action": "file",
    "improvements/action": "complete",
    "webhooks/action": "test",
    "destruction/decision": "approve",
    "destruction/fmt": "xlsx",
    "archive/fmt": "xlsx",
    "syncs/provider": "ldap",
}

# Endpoints the matrix does not call, each with its reason.
SKIPPED: dict[str, str] = {
    "admin/": "Django's admin: staff only, guarded by Django's own permission checks",
    "logout/": "signing out is every signed-in person's own business",
    "login/": "the sign-in page is for everyone",
    "i18n/setlang/": "choosing the language is for everyone",
    "metrics": "Prometheus's page: its own bearer token (MEETOPS_METRICS_TOKEN), no account; "
    "core/tests/test_observability.py",
}

# Pages anyone may open without signing in.
PUBLIC_PAGES = {"healthz", "readyz", "api/v1/openapi.json", "api/v1/docs", "api/v1/"}

# Writes any signed-in person may make for themselves, by "METHOD path template".
OWN_WRITES: dict[str, str] = {
    "POST me/language/": "one's own language (anonymous: a cookie only)",
    "POST me/two-factor/": "one's own second factor: the page keeps an authenticator pending",
    "POST notifications/channels/": "one's own notification channels",
    "POST im/preference/": "one's own choice to get work IM messages",
    "POST calendar/": "replaces one's own calendar feed address",
    "POST followup/me/feed/reset/": "replaces one's own task feed address",
    "POST /api/v1/followup/task-feed/reset": "replaces one's own task feed address",
    "POST /api/v1/notifications/read-all": "marks one's own notifications read",
    "POST /api/v1/scheduling/suggestions": "computes free times; writes nothing",
    "POST /api/v1/groups": "an organiser's own saved group",
    "POST /api/v1/followup/rules/proposals": "an organiser's own proposal to change the "
    "follow-up rules (P8.7); names no meeting, decided by the process's administrators",
    "POST /api/v1/notifications/messages/resend-unconfirmed": "resends only the messages "
    "of meetings the caller manages: none here",
}

# Writes a participant of the meeting is meant to make, by "METHOD path template".
PARTICIPANT_MAY_WRITE: dict[str, str] = {
    "POST /api/v1/meetings/{meeting_id}/questions": "participants ask questions in the room (P3.7)",
    "POST /api/v1/questions/{question_id}/vote": "participants vote on questions (P3.7)",
    "POST /api/v1/meetings/{meeting_id}/support-tickets": "anyone in the room reports a "
    "problem to the duty staff (P3.6)",
    "POST /api/v1/risks/{risk_id}/coordination": "anyone on the meeting writes in a risk's "
    "coordination thread (P5.5, risks.permissions.can_coordinate)",
}

# Body fields that name an object: filled with the confidential meeting's, even when
# optional, so that a write cannot slip past the check by naming it in its body.
BODY_IDS = {"meeting_id": "api:meetings/meeting_id"}


@dataclass
class Endpoint:
    kind: str  # "api" or "page"
    template: str  # the path with its parameters, for reports and the dicts above
    methods: list[str]
    params: list[str]  # keys of ID_SOURCES / VALUES
    operations: dict[str, Any] = field(default_factory=dict)  # API: method → OpenAPI operation


def _api_endpoints(document: dict[str, Any]) -> Iterator[Endpoint]:
    for path, operations in document["paths"].items():
        keys, previous = [], ""
        for segment in path.strip("/").split("/"):
            for name in re.findall(r"\{(\w+)\}", segment):
                keys.append(f"api:{previous}/{name}")
            if not segment.startswith("{"):
                previous = segment
        yield Endpoint("api", path, [m.upper() for m in operations], keys, operations)


def _page_patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _page_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _page_endpoints() -> Iterator[Endpoint]:
    for path in dict.fromkeys(_page_patterns(get_resolver())):
        if path.startswith("api/v1/") and path not in PUBLIC_PAGES:
            continue  # walked from the OpenAPI document
        if any(path.startswith(skipped) for skipped in SKIPPED):
            continue
        keys, previous = [], ""
        for segment in path.split("/"):
            for name in re.findall(r"<(?:\w+:)?(\w+)>", segment):
                keys.append(f"{previous}/{name}")
            literal = re.sub(r"<[^>]*>.*", "", segment)
            if literal:
                previous = literal.rstrip(".")
        yield Endpoint("page", path, ["GET", "POST"], keys)


def _meeting_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its meeting (`meeting`, `line__budget__meeting`...), if any."""
    from meetops.meetings.models import Meeting

    if model is Meeting:
        return "pk"
    seen, queue = {model}, [(model, "")]
    while queue:
        current, path = queue.pop(0)
        for f in current._meta.fields:
            if not isinstance(f, models.ForeignKey):
                continue
            lookup = f"{path}__{f.name}" if path else f.name
            if f.related_model is Meeting:
                return lookup
            if f.related_model not in seen and lookup.count("__") < 3:
                seen.add(f.related_model)
                queue.append((f.related_model, lookup))
    return None


@dataclass
class World:
    meeting: Any
    ids: dict[str, tuple[str, bool]]  # key → (value, names an object of a confidential meeting)
    missing: list[str]


def _build_world() -> World:
    from meetops.core.demo import load_demo
    from meetops.meetings.models import Meeting

    ctx = load_demo()
    meeting = ctx.meetings["q3_review"]  # following up: data in nearly every app
    Meeting.objects.update(confidentiality="confidential")
    Meeting.objects.filter(pk=meeting.pk).update(title=SECRET_TITLE)
    meeting.refresh_from_db()
    _top_up(meeting, ctx.users["admin"])

    ids: dict[str, tuple[str, bool]] = {}
    missing = []
    for key, label in ID_SOURCES.items():
        model = apps.get_model(label)
        lookup = _meeting_path(model)
        rows = model._default_manager.order_by("pk")
        row = rows.filter(**{lookup: meeting.pk}).first() if lookup else None
        row = row or rows.first()
        if row is None:  # an id of nothing: the same answer for everyone, nothing to leak
            missing.append(key)
            ids[key] = (str(MISSING_ID), False)
        else:
            ids[key] = (str(row.pk), lookup is not None)
    for key, value in VALUES.items():
        ids[key] = (value, False)
    return World(meeting, ids, missing)


def _top_up(meeting: Any, admin: Any) -> None:
    """Data the demo leaves out for this meeting: a summary report, a risk, a filing request."""
    from meetops.records.models import FilingRun
    from meetops.reports.services import draft_report
    from meetops.risks.models import Risk

    FilingRun.objects.create(meeting=meeting, requested_by=admin, status="done")

    draft_report(meeting, actor=admin)
    Risk.objects.create(
        meeting=meeting,
        phase="running",
        category="venue",
        description="停电",
        likelihood=2,
        impact=3,
        created_by=admin,
    )


# Tables that record reads, not writes: a download by someone allowed to read adds a row.
READ_LOGS = {"records.AccessLog"}


def _fingerprint() -> tuple[int, ...]:
    """Row counts of every MeetOps table (the audit log among them), in one query."""
    tables = [
        m._meta.db_table
        for m in apps.get_models()
        if m.__module__.startswith("meetops.")
        and not m._meta.proxy
        and m._meta.managed
        and m._meta.label not in READ_LOGS
    ]
    # Table names come from the models, not from input.
    counts = [f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables]  # noqa: S608
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _example(
    schema: dict[str, Any],
    components: dict[str, Any],
    depth: int = 0,
    ids: dict[str, str] | None = None,
) -> Any:
    """A minimal value that passes the schema, so that writes reach the permission check."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            options = [s for s in schema[combined] if s.get("type") != "null"] or schema[combined]
            return _example(options[0], components, depth + 1, ids)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        ids = ids or {}
        return {
            name: ids[name] if name in ids else _example(sub, components, depth + 1, ids)
            for name, sub in schema.get("properties", {}).items()
            if (name in required or name in ids) and depth < 6
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    formats = {
        "date-time": "2030-01-07T09:00:00+08:00",
        "date": "2030-01-07",
        "time": "09:00:00",
        "email": "someone@example.org",
        "uri": "https://example.org/",
    }
    return formats.get(schema.get("format", ""), "x")


@dataclass
class Persona:
    name: str
    page: Client
    api_headers: dict[str, str]
    participant: bool = False
    may_write: dict[str, str] = field(default_factory=dict)  # "METHOD path" → why
    may_read: dict[str, str] = field(default_factory=dict)  # path template → why


def _personas(meeting: Any) -> list[Persona]:
    from meetops.meetings.models import Participant
    from meetops.people import services as people

    department = people.create_department(name="矩阵外部门", actor=None)
    member = people.create_user(username="matrix-member", actor=None, roles=("member",))
    organiser = people.create_user(
        username="matrix-organiser", actor=None, roles=("organiser",), department=department
    )
    observer = people.create_user(username="matrix-observer", actor=None, roles=("member",))
    Participant.objects.create(meeting=meeting, user=observer, role="observer")
    personas = [Persona("anonymous", Client(), {})]
    for name, user in (("member", member), ("other organiser", organiser), ("observer", observer)):
        client = Client()
        client.force_login(user)
        _, raw = people.create_api_token(user, actor=user)
        personas.append(
            Persona(name, client, {"Authorization": f"Bearer {raw}"}, participant=user is observer)
        )
    return personas


def _fill(endpoint: Endpoint, world: World) -> tuple[str, bool]:
    """The concrete path, and whether it names an object of the confidential meeting."""
    path, secret = endpoint.template, False
    for key in endpoint.params:
        value, is_secret = world.ids[key]
        secret = secret or is_secret
        name = key.split("/")[-1]
        if endpoint.kind == "api":
            path = path.replace("{" + name + "}", value, 1)
        else:
            path = re.sub(r"<(?:\w+:)?" + name + ">", value, path, count=1)
    if endpoint.kind == "page":
        path = "/" + path.replace("^", "").replace("$", "")
    return path, secret


def _call(
    persona: Persona, endpoint: Endpoint, method: str, path: str, document: Any, world: World
) -> Any:
    client = persona.page
    if endpoint.kind == "page":
        return client.generic(method, path)
    operation = endpoint.operations[method.lower()]
    headers = persona.api_headers
    body = operation.get("requestBody", {}).get("content", {})
    if "application/json" in body:
        ids = {name: int(world.ids[key][0]) for name, key in BODY_IDS.items()}
        data = _example(
            body["application/json"]["schema"], document["components"]["schemas"], ids=ids
        )
        return client.generic(
            method, path, json.dumps(data), content_type="application/json", headers=headers
        )
    if "multipart/form-data" in body:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("note.txt", b"matrix", content_type="text/plain")
        return client.post(path, {"file": upload}, headers=headers)
    query = {
        p["name"]: _example(p.get("schema", {}), document["components"]["schemas"])
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }
    if method == "GET":
        return client.get(path, query, headers=headers)
    return client.generic(method, path, headers=headers)


def _judge(
    persona: Persona, endpoint: Endpoint, method: str, secret: bool, response: Any, changed: bool
) -> str | None:
    """What is wrong with this answer, or None. `changed`: the write changed rows."""
    status = response.status_code
    write = method != "GET"
    label = f"{method} {endpoint.template}"
    if status >= 500:
        return f"{status} (server error)"
    allowed_write = (
        label in OWN_WRITES
        or label in persona.may_write
        or (persona.participant and label in PARTICIPANT_MAY_WRITE)
    )
    if persona.name == "anonymous":
        if endpoint.template in PUBLIC_PAGES or label in OWN_WRITES:
            return None
        if changed:
            return f"{status} and rows changed"
        if endpoint.kind == "api":
            public = any(k.endswith("/token") for k in endpoint.params)
            # Any anonymous call, read or write, is 401 `not_authenticated` (issue 14, #4);
            # a public operation with a wrong token finds nothing.
            allowed = {401} | ({404} if public else set())
            return None if status in allowed else f"{status}, expected 401"
        if status == 302 and "/login/" in response.get("Location", ""):
            return None
        if status in (404, 405):  # a wrong token; a method the page does not take
            return None
        return f"{status}, expected a redirect to the sign-in page"
    # A page that only reads may answer a POST like a GET: rows tell a write.
    if (
        write
        and not allowed_write
        and (changed or (endpoint.kind == "api" and 200 <= status < 300))
    ):
        return f"{status}: the write succeeded"
    if secret and not persona.participant:
        if status == 403:
            return "403 tells that the object exists; expected 404"
        if status not in (404, 405, 422) and not (write and status == 400):
            return f"{status}, expected 404"
    if (
        status == 200
        and not persona.participant
        and endpoint.template not in persona.may_read
        and SECRET_TITLE in _body(response)
    ):
        return "names the confidential meeting"
    return None


def _body(response: Any) -> str:
    """The text of a page or of a file (a download streams)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _walk(world: World, document: Any, personas: list[Persona]) -> list[str]:
    endpoints = list(_api_endpoints(document)) + list(_page_endpoints())
    problems: list[str] = []
    for persona in personas:
        for endpoint in endpoints:
            path, secret = _fill(endpoint, world)
            for method in endpoint.methods:
                write = method != "GET"
                before = _fingerprint() if write else ()
                response = _call(persona, endpoint, method, path, document, world)
                changed = write and _fingerprint() != before
                problem = _judge(persona, endpoint, method, secret, response, changed)
                label = f"{method} {endpoint.template}"
                if problem:
                    problems.append(f"{persona.name}: {label} ({path}) → {problem}")
    return problems


# Under separation of duties (MEETOPS_SEPARATION_OF_DUTIES=1, issue 11 #7) the three
# administrators are outsiders to every meeting: the writes each may make, with the reason.
SOD_MAY_WRITE: dict[str, dict[str, str]] = {
    "system administrator": {
        "POST process/": "drafting the meeting process is configuration (policy.services)",
        "POST process/v<int:version>/review/": "reviewing the process in force is configuration",
        "POST process/editor/": "drafting the meeting process is configuration (process editor)",
        "POST process/editor/steps/add/": "editing the draft process: configuration",
        "POST process/editor/steps/<int:definition_id>/": "editing the draft process: configuration",
        "POST process/editor/steps/<int:definition_id>/move/": "editing the draft process",
        "POST process/editor/steps/<int:definition_id>/remove/": "editing the draft process",
        "POST process/editor/publish/": "publishing the process is configuration",
        "POST /api/v1/process/draft": "drafting the meeting process is configuration",
        "POST /api/v1/process/draft/steps": "editing the draft process: configuration",
        "PATCH /api/v1/process/draft/steps/{definition_id}": "editing the draft process",
        "DELETE /api/v1/process/draft/steps/{definition_id}": "editing the draft process",
        "POST /api/v1/process/draft/steps/{definition_id}/move": "editing the draft process",
        "POST /api/v1/process/draft/publish": "publishing the process is configuration",
        "POST notifications/robots/new/": "robot endpoints hold credentials: configuration",
        "POST notifications/webhooks/new/": "outgoing webhooks: configuration",
        "POST /api/v1/notifications/webhooks": "outgoing webhooks: configuration",
        "POST im/settings/<str:platform>/save/": "work IM platforms: configuration",
        "POST im/settings/<str:platform>/test/": "work IM connection test: configuration",
    },
    "security administrator": {
        "POST security/": "roles and second factors: the security administrator's page",
        "PUT /api/v1/departments/{department_id}/heads": "department heads confer rights: roles",
        "POST departments/<int:department_id>/heads/": "department heads confer rights: roles",
    },
    "audit administrator": {},
}
# Pages that may name the confidential meeting to an administrator: it is their duty.
SOD_MAY_READ: dict[str, dict[str, str]] = {
    "audit administrator": {"audit/": "the audit administrator reads the whole log"},
}


def _sod_personas() -> list[Persona]:
    from meetops.people import services as people

    personas = []
    for name, role in (
        ("system administrator", "admin"),
        ("security administrator", "security_admin"),
        ("audit administrator", "audit_admin"),
    ):
        user = people.create_user(username=f"matrix-{role}", actor=None, roles=(role,))
        client = Client()
        client.force_login(user)
        _, raw = people.create_api_token(user, actor=user)
        personas.append(
            Persona(
                name,
                client,
                {"Authorization": f"Bearer {raw}"},
                may_write=SOD_MAY_WRITE[name],
                may_read=SOD_MAY_READ.get(name, {}),
            )
        )
    return personas


def test_no_administrator_gets_in_under_separation_of_duties(
    django_db_setup: Any, settings: Any
) -> None:
    """Each administrator role by itself opens no meeting, and the audit admin writes nothing."""
    from meetops.config.api import api

    world = _build_world()  # the demo's own admin does business work: SoD from here on
    settings.MEETOPS_SEPARATION_OF_DUTIES = True
    personas = _sod_personas()
    document = api.get_openapi_schema()
    walked = {
        f"{m} {e.template}"
        for e in list(_api_endpoints(document)) + list(_page_endpoints())
        for m in e.methods
    }
    named = {label for allowed in SOD_MAY_WRITE.values() for label in allowed}
    assert named <= walked, "SOD_MAY_WRITE names endpoints that do not exist"
    problems = _walk(world, document, personas)
    assert problems == [], "\n" + "\n".join(problems)
    auditor = personas[2].page
    assert auditor.get("/audit/").status_code == 200
    assert SECRET_TITLE in auditor.get("/audit/").content.decode()  # the whole log


def test_nobody_outside_the_meeting_gets_in(django_db_setup: Any) -> None:
    from meetops.config.api import api

    world = _build_world()
    document = api.get_openapi_schema()
    endpoints = list(_api_endpoints(document)) + list(_page_endpoints())
    unmapped = sorted(
        {f"{key} in {e.template}" for e in endpoints for key in e.params if key not in world.ids}
    )
    assert unmapped == [], "map these path parameters in ID_SOURCES or VALUES"
    assert sorted(world.missing) == sorted(NO_DEMO_ROWS), (
        "the demo's rows changed: update NO_DEMO_ROWS"
    )
    problems = _walk(world, document, _personas(world.meeting))
    assert problems == [], "\n" + "\n".join(problems)
