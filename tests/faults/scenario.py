"""`python -m tests.faults.scenario ACTION [ARGS]`: set up or act on a fault test's private database.

Run by the fault tests (tests/faults/harness.py: `scenario()`) in a process of
its own, with DATABASE_URL pointing at the private cluster and CELERY_BROKER_URL
at the private Redis (or empty: eager). Prints one line of JSON.
"""

import datetime
import json
import sys

import django

D = datetime.date
STATES = ("AT", "BE", "CH", "DK", "FI", "IE")
PERIOD = "2010-Q2"


def catalogue() -> dict:
    """Six States fully implementing five human-dimension commitments in 2010-Q2, scored (100 each)."""
    from scorecards import services
    from tests.factories import CommitmentFactory, DimensionFactory, ReportFactory, StateFactory

    human = DimensionFactory(slug="fault-human", name="Human (fault test)")
    commitments = [CommitmentFactory(dimension=human) for _ in range(5)]
    states = [StateFactory(code=code) for code in STATES]
    for state in states:
        for commitment in commitments:
            ReportFactory(state=state, commitment=commitment, observed_on=D(2010, 5, 1), level="full", verified=True)
    services.scorecards_compute_period(period=PERIOD)
    return {"dimension_id": human.pk, "commitment_id": commitments[0].pk, "period": PERIOD}


def seed_recompute() -> dict:
    """The catalogue, then one serious violation per State verified without a recompute: due score 95."""
    from tests.factories import ReportFactory

    seeded = catalogue()
    for code in STATES:
        ReportFactory(
            state_id=code,
            commitment_id=seeded["commitment_id"],
            observed_on=D(2010, 6, 1),
            violation=True,
            severity="serious",
            verified=True,
        )
    return {**seeded, "due_score": "95.0"}


def seed_review() -> dict:
    """The catalogue, and a serious violation by Austria submitted and waiting for a reviewer."""
    from tests.factories import ReportFactory, UserFactory

    seeded = catalogue()
    reporter = UserFactory(username="fault-reporter", groups=["Reporters"])
    reviewer = UserFactory(username="fault-reviewer", groups=["Reviewers"])
    report = ReportFactory(
        state_id="AT",
        commitment_id=seeded["commitment_id"],
        observed_on=D(2010, 6, 1),
        violation=True,
        severity="serious",
        created_by=reporter,
        submitted=True,
    )
    return {**seeded, "report_id": report.pk, "reviewer_id": reviewer.pk}


def verify(report_id: str, reviewer_id: str) -> dict:
    """A reviewer verifies the report through the service, as the admin and the API do."""
    from django.contrib.auth import get_user_model

    from commitments import services
    from commitments.models import Report

    report = services.report_verify(
        report=Report.objects.get(pk=int(report_id)), user=get_user_model().objects.get(pk=int(reviewer_id))
    )
    return {"status": report.status}


def seed_digests(count: str) -> dict:
    """Known 2026-Q3 scores and `count` confirmed quarterly subscribers."""
    from tests.scorecards.factories import SubscriptionFactory, known_scores

    known_scores()
    emails = [f"fault-digest-{n}@example.org" for n in range(int(count))]
    for address in emails:
        SubscriptionFactory(email=address)
    return {"emails": emails, "edition": "2026-Q3"}


ACTIONS = {
    "seed-recompute": seed_recompute,
    "seed-review": seed_review,
    "verify": verify,
    "seed-digests": seed_digests,
}


def main(argv: list[str]) -> None:
    django.setup()
    from django.conf import settings

    # The factories make a user per report: real hashers would take a second or more each on a busy machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    action, *args = argv
    print(json.dumps(ACTIONS[action](*args)))


if __name__ == "__main__":
    main(sys.argv[1:])
