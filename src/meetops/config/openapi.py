"""The OpenAPI document tells the truth about errors: every operation lists the statuses it can answer.

Added after ninja builds the document, so a new operation is documented
without anyone remembering to: the error statuses below, each with the one
error shape (`ErrorOut`), and `FieldErrorOut` for 422's `details.fields`.
"""

from __future__ import annotations

from typing import Any

ERROR_REF = "#/components/schemas/ErrorOut"

ERROR_SCHEMAS: dict[str, Any] = {
    "FieldErrorOut": {
        "title": "FieldErrorOut",
        "type": "object",
        "properties": {
            "field": {"type": "string", "description": "dotted path of the field"},
            "problem": {"type": "string", "description": "what is wrong, translated"},
            "type": {"type": "string", "description": "stable kind: invalid_date, missing, ..."},
        },
        "required": ["field", "problem", "type"],
    },
    "ErrorOut": {
        "title": "ErrorOut",
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "description": "stable snake_case code"},
                    "message": {"type": "string", "description": "translated, for people"},
                    "details": {
                        "type": "object",
                        "properties": {
                            "fields": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/FieldErrorOut"},
                            }
                        },
                    },
                },
                "required": ["code", "message", "details"],
            }
        },
        "required": ["error"],
    },
}

DESCRIPTIONS = {
    "400": "The body is not valid JSON (`bad_request`).",
    "401": "No valid token or session (`not_authenticated`).",
    "403": "Signed in, but not allowed (`forbidden`, `csrf_failed`, or a domain code).",
    "404": "Not found, or not visible to the caller (`not_found`).",
    "409": "A rule of the domain refused the request (its own code).",
    "413": "The body is larger than the server accepts (`too_large`).",
    "422": "The input is not valid (`invalid_input`, `invalid_date`, `invalid_amount`, ...).",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def statuses_for(method: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses an operation can answer, from what it takes and whether it is authed."""
    authed = operation.get("security") != [] and "security" in operation
    has_input = bool(operation.get("parameters")) or "requestBody" in operation
    found = ["404", "409"]
    if authed:
        found += ["401", "403"]
    if has_input:
        found.append("422")
    if "requestBody" in operation or method in WRITE_METHODS:
        found += ["400", "413"]
    return sorted(found)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add `ErrorOut` and the error statuses to every operation of the document."""
    schema.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in statuses_for(method, operation):
                if status in responses or int(status) in responses:
                    continue
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
                    },
                )
    return schema
