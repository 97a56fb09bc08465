"""schemathesis against the running API: the app served for real (pytest-django's
``live_server``, a threaded server on loopback), every operation of the OpenAPI schema called
with generated data, signed in with a token of a coach whose caseload has cycles,
observations, revisits and time. No response may be a server error, and each must conform to
the schema (status code, content type, body).

Bounded: ``SCHEMATHESIS_EXAMPLES`` (default 15) examples per operation, no shrinking,
derandomized in CI so that a failure reproduces. About 30 seconds on 2 cores."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from tests.conftest import IN_CI
from tests.factories import AgreedMoveFactory, MoveFactory, RevisitFactory, TimeEntryFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(transactional_db, live_server, school_world):
    """The schema as the running app serves it, and the headers of a coach's token."""
    w = school_world
    move = MoveFactory()
    AgreedMoveFactory(cycle=w.c1b, move=move)
    RevisitFactory(cycle=w.c1b)
    TimeEntryFactory(coach=w.coach1, school=w.school_a)
    _, token = api_token_create(user=w.coach1)
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", headers=headers, timeout=30
    )
    return schema, headers


def test_every_operation_answers_without_a_server_error(api_schema):
    schema, headers = api_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 28  # every operation of the schema, none lost
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=IN_CI,
            database=None,
            phases=(Phase.explicit, Phase.generate),  # no shrinking: bounded time
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
