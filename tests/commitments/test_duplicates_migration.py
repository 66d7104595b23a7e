"""Migration commitments 0011: identical standing reports entered before the rule are retracted, not deleted.

Each group keeps the report furthest along the workflow (verified, then submitted, then draft; the oldest
among equals); the others are retracted with a reason naming the one kept and a history row.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commitments.models import Report, ReportStatus
from tests.factories import CommitmentFactory, ReportFactory, StateFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("commitments", "0010_reviewers_review_only")
AFTER = ("commitments", "0011_report_standing_identity_unique")


def migrate(target) -> None:
    MigrationExecutor(connection).migrate([target])


@pytest.fixture
def before_the_rule():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("commitments")[0]
    migrate(BEFORE)
    yield
    migrate(latest)


def test_the_migration_keeps_one_standing_report_per_identity_and_retracts_the_others(before_the_rule):
    same = {
        "state": StateFactory(code="AT"),
        "commitment": CommitmentFactory(),
        "observed_on": datetime.date(2015, 3, 2),
        "source_url": "",
    }
    draft = ReportFactory(**same)
    verified = ReportFactory(**same, verified=True)
    submitted = ReportFactory(**same, submitted=True)
    already_retracted = ReportFactory(**same, status=ReportStatus.RETRACTED, retraction_reason="Earlier mistake.")
    other_day = ReportFactory(**same | {"observed_on": datetime.date(2015, 3, 3)})

    migrate(AFTER)

    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses == {
        draft.pk: ReportStatus.RETRACTED,
        verified.pk: ReportStatus.VERIFIED,
        submitted.pk: ReportStatus.RETRACTED,
        already_retracted.pk: ReportStatus.RETRACTED,
        other_day.pk: ReportStatus.DRAFT,
    }
    for pk in (draft.pk, submitted.pk):
        report = Report.objects.get(pk=pk)
        assert report.retraction_reason.startswith(f"Duplicate of report #{verified.pk}:")
        assert report.history.latest().history_change_reason == "retract"
        assert report.history.latest().status == ReportStatus.RETRACTED
    assert Report.objects.get(pk=already_retracted.pk).retraction_reason == "Earlier mistake."
