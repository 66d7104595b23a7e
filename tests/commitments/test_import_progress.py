"""Issue 12: `import_reports` shows its progress on large files, a bar on a terminal and plain lines otherwise."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from commitments.models import Report
from corfu_tracker.progress import CommandProgress
from tests.factories import CommitmentFactory, StateFactory

HEADER = "state,commitment,kind,level_or_severity,observed_on,source,summary,source_url\n"
# Each row its own link: identical rows would be refused as duplicates of each other.
ROW = "AT,COP-1990-7.3,implementation,full,2015-03-02,odihr,Synthetic test row.,https://example.org/row/{}\n"


class Terminal(io.StringIO):
    """Output that says it is a terminal, as sys.stdout does in an interactive shell."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def catalogue(db):
    StateFactory(code="AT")
    CommitmentFactory(code="COP-1990-7.3")


def write(tmp_path, rows: int):
    path = tmp_path / "reports.csv"
    path.write_text(HEADER + "".join(ROW.format(line) for line in range(rows)), encoding="utf-8")
    return path


def test_large_file_into_a_log_shows_plain_progress_lines(catalogue, reporter, tmp_path):
    out = io.StringIO()

    call_command("import_reports", str(write(tmp_path, 2500)), "--user", reporter.username, stdout=out)

    assert out.getvalue().splitlines() == [
        "1,000 of 2,500 rows checked (40 %)",
        "2,000 of 2,500 rows checked (80 %)",
        "2,500 of 2,500 rows checked (100 %)",
        f"Imported 2500 report(s) as submitted by {reporter.username}.",
    ]
    assert Report.objects.count() == 2500


def test_large_file_on_a_terminal_shows_a_bar_redrawn_in_place(catalogue, reporter, tmp_path):
    out = Terminal()

    call_command("import_reports", str(write(tmp_path, 2500)), "--user", reporter.username, "--dry-run", stdout=out)

    progress, summary = out.getvalue().split("\n")[:2]
    assert progress == (
        "\r[############..................] 1,000 of 2,500 rows checked (40 %)"
        "\r[########################......] 2,000 of 2,500 rows checked (80 %)"
        "\r[##############################] 2,500 of 2,500 rows checked (100 %)"
    )
    assert summary == "Dry run: all 2500 row(s) are valid; nothing saved."


def test_small_file_shows_no_progress(catalogue, reporter, tmp_path):
    out = io.StringIO()

    call_command("import_reports", str(write(tmp_path, 3)), "--user", reporter.username, stdout=out)

    assert out.getvalue().splitlines() == [f"Imported 3 report(s) as submitted by {reporter.username}."]


def test_verbosity_zero_shows_no_progress(catalogue, reporter, tmp_path):
    out = io.StringIO()

    call_command("import_reports", str(write(tmp_path, 2500)), "--user", reporter.username, "-v", "0", stdout=out)

    assert "rows checked" not in out.getvalue()


def test_plain_lines_come_once_per_tenth_however_often_progress_is_reported():
    out = io.StringIO()
    progress = CommandProgress(out=OutputWrapper(out), total=100_000)

    for done in range(1000, 100_001, 1000):
        progress(done)

    lines = out.getvalue().splitlines()
    assert [line.split(" (")[1] for line in lines] == [f"{percent} %)" for percent in range(10, 101, 10)]


def test_the_same_count_twice_is_not_drawn_twice():
    out = Terminal()
    progress = CommandProgress(out=OutputWrapper(out), total=2000)

    for done in (1000, 2000, 2000):
        progress(done)

    assert out.getvalue().count("2,000 of 2,000") == 1
    assert out.getvalue().endswith("\n")
