import datetime

import pytest
from django.core.management import CommandError, call_command

from commitments.models import Report, ReportStatus
from tests.factories import CommitmentFactory, StateFactory

HEADER = "state,commitment,kind,level_or_severity,observed_on,source,summary\n"


@pytest.fixture
def catalogue(db):
    StateFactory(code="AT")
    CommitmentFactory(code="COP-1990-7.3")


def write(tmp_path, body):
    path = tmp_path / "reports.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_command_imports_rows_as_submitted_by_the_user(catalogue, reporter, tmp_path, capsys):
    path = write(tmp_path, "AT,COP-1990-7.3,violation,serious,2010-05-04,odihr,Arrests at a rally.\n")
    call_command("import_reports", str(path), "--user", reporter.username)
    report = Report.objects.get()
    assert (report.status, report.submitted_by, report.severity) == (ReportStatus.SUBMITTED, reporter, "serious")
    assert "Imported 1 report(s)" in capsys.readouterr().out


def test_command_lists_bad_rows_and_imports_nothing(catalogue, reporter, tmp_path, capsys):
    path = write(
        tmp_path,
        "AT,COP-1990-7.3,violation,serious,2010-05-04,odihr,Fine.\nXX,COP-1990-7.3,violation,full,2010-05-04,odihr,Bad.\n",
    )
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_reports", str(path), "--user", reporter.username)
    errors = capsys.readouterr().err
    assert "line 3, column state" in errors
    assert "line 3, column level_or_severity" in errors
    assert Report.objects.count() == 0


def test_command_dry_run_saves_nothing(catalogue, reporter, tmp_path):
    path = write(tmp_path, f"AT,COP-1990-7.3,implementation,full,{datetime.date(2011, 1, 3)},hcnm,Law adopted.\n")
    call_command("import_reports", str(path), "--user", reporter.username, "--dry-run")
    assert Report.objects.count() == 0


def test_command_refuses_unknown_user(catalogue, tmp_path):
    path = write(tmp_path, "")
    with pytest.raises(CommandError, match="No user"):
        call_command("import_reports", str(path), "--user", "nobody")
