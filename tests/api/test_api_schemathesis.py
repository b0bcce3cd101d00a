"""Schemathesis drives every operation of the OpenAPI document with generated requests, as an
administrator (so that writes reach the services): requests that fit the schema, requests
that break it, and requests built from the document's examples (real unit, period and
indicator codes, so that they get past "not found" into aggregation, validation and the
workflow). No request may cause a server error.

The operations are looped over by hand rather than with `schema.parametrize()`: the
schemathesis pytest plugin (4.32.5) sets `Function._nodeid`, which pytest 9 no longer has.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from baocao.core.periods import Period
from baocao.datavalues.services import ValueInput, save_values
from baocao.wsgi import application

# Per operation and kind of request: ~30 operations × 3 kinds × 8 run in about half a minute. Set
# BAOCAO_FUZZ_EXAMPLES=200 for a deeper search before a release.
EXAMPLES = int(os.environ.get("BAOCAO_FUZZ_EXAMPLES", "8"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(system_actor, travinh, monkeypatch):  # type: ignore[no-untyped-def]
    # LibreOffice takes seconds per PDF; the conversion is the report writer's to test.
    from baocao.reports import services

    def fake_pdf(docx, pdf):  # type: ignore[no-untyped-def]
        pdf.write_bytes(b"%PDF-1.7")
        return pdf

    monkeypatch.setattr(services, "docx_to_pdf", fake_pdf)
    # A few real values, so that generated reads of Trà Vinh resolve something.
    year = Period.from_code("2022")
    save_values(
        system_actor,
        [
            ValueInput("cntt.qlvb.vb_di", travinh, year, 1000),
            ValueInput("cntt.qlvb.vb_ky_so", travinh, year, 900),
        ],
    )


def _strategies(operation: Any) -> dict[str, Any]:
    kinds = {
        "positive": operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        "negative": operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    }
    from_examples = operation.get_strategies_from_examples()
    if from_examples:
        kinds["examples"] = st.one_of(from_examples)
    return kinds


@pytest.fixture
def keep_connection():  # type: ignore[no-untyped-def]
    """Calls go to the real WSGI application, which closes the database connection after each
    request; inside a test's transaction that would lose it (as Django's test client knows,
    and avoids the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_generated_request_causes_a_server_error(seeded, keep_connection, admin_api) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {admin_api.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures: list[str] = []
    for operation in operations:
        for kind, strategy in _strategies(operation).items():

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case) -> None:  # type: ignore[no-untyped-def]
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

            try:
                run()
            except Exception as exc:
                # Every failing operation is reported, not only the first.
                failures.append(f"{operation.label} ({kind}): {str(exc)[:2000]}")
    assert not failures, "\n\n".join(failures)
