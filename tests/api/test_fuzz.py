"""Issue 14, "fuzzing in CI": schemathesis over the whole OpenAPI document.

Every operation of /api/v1/openapi.json is called with generated input, as
the demo administrator (who can reach every operation) on the demo data, and
every response is checked: no server error, a documented status, a documented
content type, a body that matches its schema. Path ids are drawn half of the
time from rows that exist, so the calls get past the 404s.

Bounded to fit `make test` on two cores, on SQLite and on PostgreSQL:
`MEETOPS_FUZZ_EXAMPLES` examples per operation (default 4, derandomized, so
CI runs are repeatable) and no per-example deadline. Raise it locally to dig
deeper: `MEETOPS_FUZZ_EXAMPLES=50 pytest tests/api/test_fuzz.py`.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("MEETOPS_FUZZ_EXAMPLES", "4"))


def _existing_ids() -> dict[str, list[int]]:
    """Ids of rows that exist, by path parameter name (`meeting_id` → meetings), "" for any."""
    from django.apps import apps

    by_name: dict[str, list[int]] = {}
    every: set[int] = set()
    for model in apps.get_models():
        if model.__module__.startswith("meetops."):
            pks = [
                pk for pk in model.objects.values_list("pk", flat=True)[:40] if isinstance(pk, int)
            ]
            by_name[f"{model._meta.model_name}_id"] = pks
            every.update(pks)
    by_name = {name: pks for name, pks in by_name.items() if pks}
    by_name[""] = sorted(every) or [1]
    return by_name


def _existing(ids: dict[str, list[int]], name: str, pick: int) -> int:
    pool = ids.get(name) or ids[""]
    return pool[pick % len(pool)]


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]


def _fuzz(operation: Any, headers: dict[str, str], ids: dict[str, list[int]]) -> str | None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    checks = _checks()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=operation.as_strategy(), real=st.booleans(), pick=st.integers(0, 10**6))
    def run(case: Any, real: bool, pick: int) -> None:
        if real and case.path_parameters:
            case.path_parameters = {
                k: _existing(ids, k, pick) if isinstance(v, int) else v
                for k, v in case.path_parameters.items()
            }
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    try:
        run()
    except BaseException as exc:  # schemathesis raises an exception group; each operation reports
        if isinstance(exc, KeyboardInterrupt):
            raise
        return f"{operation.label}: {str(exc)[:1500]}"
    return None


@pytest.fixture
def connection_kept() -> Any:
    """WSGI requests close the database connection when they finish; the test's transaction lives on it.

    Django's test client does the same for its own requests.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_keeps_its_contract_under_generated_input(connection_kept):
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    from meetops.core.demo import load_demo
    from meetops.people.models import User
    from meetops.people.services import create_api_token

    load_demo()
    _token, raw = create_api_token(User.objects.get(username="admin"), actor=None)
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    ids = _existing_ids()
    only = os.environ.get("MEETOPS_FUZZ_ONLY", "")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if only and only not in operation.label:
            continue
        failure = _fuzz(operation, headers, ids)
        if failure:
            failures.append(failure)
    assert failures == [], f"{len(failures)} operations off contract:\n\n" + "\n\n".join(failures)
