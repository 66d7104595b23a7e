"""`manage.py seed_demo`: synthetic demo reports that keep every rule of the model."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commitments.management.commands.seed_demo import CHANGE_REASON, SUMMARY_PREFIX
from commitments.models import Report, ReportSource, ReportStatus
from tests.factories import CommitmentFactory, SourceDocumentFactory, StateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    early = SourceDocumentFactory(code="HEL-1975", adopted_on=datetime.date(1975, 8, 1))
    later = SourceDocumentFactory(code="COP-1990", adopted_on=datetime.date(1990, 6, 29))
    states = [
        StateFactory(code="AT", admitted_on=datetime.date(1973, 6, 25)),
        StateFactory(code="DE", admitted_on=datetime.date(1973, 6, 25)),
        # Admitted after the ended commitment below left force: that pair has no window.
        StateFactory(code="SE", admitted_on=datetime.date(2006, 1, 1)),
    ]
    commitments = [
        CommitmentFactory(code="HEL-1975-1", document=early),
        CommitmentFactory(
            code="HEL-1975-2",
            document=early,
            in_force_from=datetime.date(1975, 8, 1),
            in_force_until=datetime.date(2005, 12, 31),
        ),
        CommitmentFactory(code="COP-1990-7.3", document=later, in_force_from=datetime.date(2001, 3, 1)),
    ]
    return states, commitments


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def content():
    return list(
        Report.objects.order_by("id").values_list(
            "state_id", "commitment__code", "kind", "level", "severity", "observed_on", "summary"
        )
    )


def test_seed_demo_creates_valid_verified_synthetic_reports_with_history(catalogue):
    states, commitments = catalogue

    output = seed(reports=200, seed=1)

    assert "Wrote 200 synthetic reports" in output
    reports = list(Report.objects.select_related("state", "commitment"))
    assert len(reports) == 200
    for report in reports:
        report.full_clean()
        assert report.source == ReportSource.SYNTHETIC_DEMO
        assert report.status == ReportStatus.VERIFIED
        assert report.summary.startswith(SUMMARY_PREFIX)
        assert report.created_by.username == "demo-reporter"
        assert report.submitted_by.username == "demo-reporter"
        assert report.reviewed_by.username == "demo-reviewer"
        assert report.created_at is not None and report.updated_at is not None
        assert report.observed_on >= datetime.date(2000, 1, 1)
        assert not (report.state_id == "SE" and report.commitment.code == "HEL-1975-2")
    assert {r.state_id for r in reports} == {s.code for s in states}
    assert {r.commitment_id for r in reports} == {c.pk for c in commitments}
    assert {r.kind for r in reports} == {"implementation", "violation"}
    reporter = reports[0].created_by
    assert reporter.is_staff and not reporter.has_usable_password()
    assert reporter.groups.filter(name="Reporters").exists()
    assert reports[0].reviewed_by.groups.filter(name="Reviewers").exists()

    history = Report.history.all()
    assert history.count() == 200
    assert set(history.values_list("id", flat=True)) == {r.pk for r in reports}
    assert set(history.values_list("history_type", "history_change_reason", "history_user__username")) == {
        ("+", CHANGE_REASON, "demo-reporter")
    }


def test_if_fewer_tops_up_and_continues_the_same_stream(catalogue):
    seed(reports=200, seed=1)
    first_run = content()

    assert "wrote 0 rows" in seed(reports=200, seed=1, if_fewer=True)
    assert Report.objects.count() == 200

    seed(reports=260, seed=1, if_fewer=True)
    assert Report.objects.filter(source=ReportSource.SYNTHETIC_DEMO).count() == 260
    assert Report.history.count() == 260

    # Same seed, same catalogue: the same rows, and a top-up continues the stream.
    Report.history.all().delete()
    Report.objects.all().delete()
    seed(reports=100, seed=1)
    seed(reports=160, seed=1)
    assert content()[:200] == first_run
    assert len(content()) == 260

    Report.history.all().delete()
    Report.objects.all().delete()
    seed(reports=200, seed=2)
    assert content() != first_run


def test_seed_demo_refuses_an_empty_catalogue():
    with pytest.raises(CommandError, match="load_reference"):
        seed(reports=10)
