"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis 4).

Every operation in /api/v1/schema/ is called with generated data, schema-valid and schema-violating
(`mode: all`), once anonymously and once with a reporter's token. Every response must not be a server
error and must conform to the schema: a documented status code and content type, a body matching the
documented schema, and anonymous access only where the schema says it is allowed.

The stateful phase then follows the schema's OpenAPI links (create -> edit -> submit -> verify or reject
-> retract, carrying each answer's id and ETag) as anonymous, as a reporter, and as staff.

Bounded for CI: 30 examples an operation plus the deterministic coverage cases, and 40 scenarios of at most
6 steps per persona in the stateful phase, derandomized and with no example database, so a run is
reproducible and takes a few minutes.
"""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from scorecards.services import scorecards_compute_period
from tests.factories import (
    CommitmentFactory,
    DimensionFactory,
    MembershipFactory,
    ReportFactory,
    StateFactory,
    ThemeFactory,
)

D = datetime.date

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",
            "max-examples": 30,
            "deterministic": True,
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": True},  # the documented request example creates a real draft
            "coverage": {"enabled": True},  # boundary and schema-violating values, deterministically
            "fuzzing": {"enabled": True},
            # Run by the workflow tests below, through the OpenAPI links the schema declares (links
            # schemathesis would infer from names send mostly made-up ids: off, to spend the steps on chains).
            "stateful": {"enabled": True, "inference": {"algorithms": []}},
        },
        "checks": {
            # A schema-valid request may still be refused for what a schema cannot say: a State or commitment
            # code that does not exist, a workflow step out of order, wrong credentials at the token endpoint.
            # Those are 400s by contract, so 400 counts as an acceptable answer to valid data; every other
            # refusal (405, 406, 415, 422...) still fails the check.
            # 412: a schema-valid `If-Match` that names another version of the report (the stateful phase
            # sends the ETag of an earlier answer after the report moved on).
            "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 412, 429]},
            # Disabled: DRF and django-filter legitimately accept some schema-violating input. An empty query
            # value (`?status=`) means "no filter" as in HTML forms, unknown query parameters are ignored,
            # and DRF fields coerce JSON types (`"corrects": "5"` is the id 5, `"summary": 5` the text "5").
            # What matters for bad input (a 4xx, never a 500, naming the field) is asserted by
            # not_a_server_error here and by the bad-input tests in this package.
            "negative_data_rejection": {"enabled": False},
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), config=CONFIG)

pytestmark = pytest.mark.slow

# Function-scoped fixtures are shared by all examples of one operation, on purpose: the dataset is set
# up once per operation and every example runs inside that test's transaction.
HYPOTHESIS_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture
def api_dataset(db, other_reporter):
    """Enough for every endpoint to answer with data: States, catalogue, reports of each kind, scorecards."""
    for code, iso3 in [("AT", "AUT"), ("BE", "BEL"), ("CH", "CHE")]:
        StateFactory(code=code, iso3=iso3)
    MembershipFactory(group__slug="eu", state_id="AT")
    for slug in ["politico-military", "economic-environmental", "human"]:
        DimensionFactory(slug=slug)
    theme = ThemeFactory(slug="free-elections")
    # The code the request example of POST /reports/ names.
    commitment = CommitmentFactory(code="COP-1990-7.3", document__code="COP-1990", themes=[theme])
    ReportFactory(state_id="AT", commitment=commitment, verified=True)
    ReportFactory(state_id="BE", commitment=commitment, verified=True, violation=True)
    ReportFactory(state_id="CH", commitment=commitment, created_by=other_reporter, submitted=True)
    ReportFactory(state_id="CH", commitment=commitment, created_by=other_reporter)
    scorecards_compute_period(period="2010-Q2")


@pytest.fixture
def unthrottled(monkeypatch):
    """DRF copies DEFAULT_THROTTLE_RATES onto SimpleRateThrottle at import; a long run needs higher rates."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {scope: "1000000/hour" for scope in SimpleRateThrottle.THROTTLE_RATES}
    )
    cache.clear()


@pytest.fixture
def in_test_transaction():
    """Calls go through the real WSGI handler, which closes "old" connections around each request.

    On PostgreSQL that would end the test's transaction; Django's own test client disconnects the same
    receivers while it handles a request.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_api_conforms_to_schema_anonymously(case, api_dataset, unthrottled, in_test_transaction):
    case.call_and_validate()


@schema.parametrize()
@HYPOTHESIS_SETTINGS
def test_api_conforms_to_schema_as_reporter(case, api_dataset, reporter, unthrottled, in_test_transaction):
    token, _ = Token.objects.get_or_create(user=reporter)
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"})


# --- stateful phase: chains of operations along the schema's links ---------------------------------

# The report operations only: their links chain the review workflow. (Schemathesis also infers links
# between the catalogue operations; the per-operation tests above cover those operations.)
Workflows = schema.include(path_regex=r"^/api/v1/reports/").as_state_machine()

WORKFLOW_SETTINGS = settings(
    max_examples=40,
    stateful_step_count=6,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)

REVIEW_OPERATIONS = {"POST /api/v1/reports/{id}/verify/", "POST /api/v1/reports/{id}/reject/"}
# A generated report names a State and a commitment that do not exist (a 400, tested above); the chains
# start from reports the dataset can hold, with the rest of the body (summary, source...) as generated.
KNOWN_REPORT = {
    "state": "AT",
    "commitment": "COP-1990-7.3",
    "kind": "violation",
    "level": "",
    "severity": "serious",
    "observed_on": "2010-05-04",
    "source_url": "https://www.osce.org/odihr",
    "corrects": None,
    # Generated text is tested by the per-operation runs above; here a valid body lets chains go on.
    "summary": "From the stateful tests.",
    "source": "odihr",
    "citation": "",
}


def run_workflows(headers_for) -> list[tuple[str, int]]:
    """Run the state machine, calling with `headers_for(case)`; returns (operation, status) of every step."""
    calls = []

    class AsPersona(Workflows):
        # Every scenario starts from the same data: what one writes is rolled back before the next, so a
        # run is reproducible (Hypothesis replays choices and checks they lead to the same steps).
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)
            super().teardown()

        def before_call(self, case):
            if case.operation.label == "POST /api/v1/reports/":
                if not isinstance(case.body, dict):  # a body that is not an object: tested above
                    case.body = {"summary": "From the stateful tests.", "source": "odihr"}
                    case.media_type = "application/json"
                case.body.update(KNOWN_REPORT)

        def get_call_kwargs(self, case):
            return {"headers": headers_for(case)}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # Name the headers as the caller's own (as `call_and_validate(headers=...)` does above), so the
            # authentication checks take the token for explicit credentials, not generated ones.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=kwargs.get("headers"),
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

        def after_call(self, response, case):
            super().after_call(response, case)
            calls.append((case.operation.label, response.status_code))

    AsPersona.run(settings=WORKFLOW_SETTINGS)
    return calls


def token_header(user) -> dict:
    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


def test_workflows_conform_to_schema_anonymously(api_dataset, unthrottled, in_test_transaction):
    calls = run_workflows(lambda case: {})

    assert ("POST /api/v1/reports/", 401) in calls


def test_workflows_conform_to_schema_as_reporter(api_dataset, reporter, unthrottled, in_test_transaction):
    calls = run_workflows(lambda case: token_header(reporter))

    assert ("POST /api/v1/reports/", 201) in calls
    assert ("POST /api/v1/reports/{id}/submit/", 200) in calls


def test_workflows_conform_to_schema_as_staff(api_dataset, admin_user, reviewer, unthrottled, in_test_transaction):
    """An administrator writes and submits; review steps go as a reviewer (four eyes); every response conforms."""
    calls = run_workflows(
        lambda case: token_header(reviewer if case.operation.label in REVIEW_OPERATIONS else admin_user)
    )

    assert ("POST /api/v1/reports/{id}/submit/", 200) in calls
    # Whether these derandomized chains reach the reviewer's verify step depends on the ids the dataset
    # got (it did alone, not in the full run): verify's outcomes are covered in test_report_workflow.
