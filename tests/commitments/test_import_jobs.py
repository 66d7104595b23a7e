"""Issue 10, item 6: imports over IMPORT_ASYNC_ROWS rows run as a Celery job with progress in the admin."""

import io

import pytest

from commitments.imports import import_job_run
from commitments.models import ImportJob, ImportJobStatus, Report, ReportStatus
from corfu_tracker.celery import app as celery_app
from tests.factories import CommitmentFactory, StateFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/commitments/report/import/"
HEADER = "state,commitment,kind,level_or_severity,observed_on,source,summary\n"
BAD = "XX,COP-1990-7.3,implementation,full,2015-03-02,odihr,Unknown State.\n"


def good(count: int) -> str:
    """`count` valid lines, no two the same report (each observed on its own day)."""
    return "".join(
        f"AT,COP-1990-7.3,implementation,full,2015-03-{day:02d},odihr,Synthetic test row.\n"
        for day in range(1, count + 1)
    )


@pytest.fixture(autouse=True)
def small_threshold_and_media(settings, tmp_path):
    settings.IMPORT_ASYNC_ROWS = 3
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def eager_celery():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def catalogue(db):
    StateFactory(code="AT")
    CommitmentFactory(code="COP-1990-7.3", document__adopted_on="1990-06-29", in_force_from="1990-06-29")


def upload(text: str) -> io.BytesIO:
    file = io.BytesIO(text.encode())
    file.name = "reports.csv"
    return file


def post_import(client, text, *, dry_run=False, run_on_commit, capture):
    data = {"file": upload(text), **({"dry_run": "on"} if dry_run else {})}
    with capture(execute=run_on_commit):
        return client.post(IMPORT_URL, data)


def test_a_large_import_is_queued_as_a_job_not_run_in_the_request(
    client, reporter, catalogue, django_capture_on_commit_callbacks
):
    client.force_login(reporter)

    response = post_import(client, HEADER + good(5), run_on_commit=False, capture=django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/commitments/importjob/{job.pk}/change/"
    assert (job.status, job.rows_total, job.rows_done, job.created_by) == (ImportJobStatus.QUEUED, 5, 0, reporter)
    assert job.file.name.startswith("imports/")
    assert not Report.objects.exists()


def test_the_job_imports_all_rows_and_records_its_progress(
    client, reporter, catalogue, django_capture_on_commit_callbacks
):
    client.force_login(reporter)

    post_import(client, HEADER + good(5), run_on_commit=True, capture=django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert (job.status, job.rows_done, job.rows_total, job.created_count, job.errors) == (
        ImportJobStatus.SUCCEEDED,
        5,
        5,
        5,
        [],
    )
    assert Report.objects.filter(status=ReportStatus.SUBMITTED, submitted_by=reporter).count() == 5
    assert job.finished_at is not None and job.file.name == ""


def test_a_job_with_a_bad_row_saves_nothing_and_lists_the_row(
    client, reporter, catalogue, django_capture_on_commit_callbacks
):
    client.force_login(reporter)

    post_import(client, HEADER + good(4) + BAD, run_on_commit=True, capture=django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == ["line 6, column state: Unknown State code “XX”."]
    assert job.created_count == 0
    assert not Report.objects.exists()


def test_a_dry_run_job_checks_and_saves_nothing(client, reporter, catalogue, django_capture_on_commit_callbacks):
    client.force_login(reporter)

    post_import(client, HEADER + good(5), dry_run=True, run_on_commit=True, capture=django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert (job.status, job.dry_run, job.rows_done) == (ImportJobStatus.SUCCEEDED, True, 5)
    assert not Report.objects.exists()


def test_a_job_runs_once_however_often_it_is_delivered(client, reporter, catalogue, django_capture_on_commit_callbacks):
    client.force_login(reporter)
    post_import(client, HEADER + good(5), run_on_commit=True, capture=django_capture_on_commit_callbacks)

    assert import_job_run(job_id=ImportJob.objects.get().pk) == "not-queued"
    assert Report.objects.count() == 5


def test_an_import_at_the_threshold_still_runs_in_the_request(
    client, reporter, catalogue, django_capture_on_commit_callbacks
):
    client.force_login(reporter)

    response = post_import(client, HEADER + good(3), run_on_commit=False, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert Report.objects.count() == 3


def test_the_job_page_shows_progress_to_its_owner_only(
    client, reporter, other_reporter, catalogue, django_capture_on_commit_callbacks
):
    client.force_login(reporter)
    post_import(client, HEADER + good(4) + BAD, run_on_commit=True, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()

    page = client.get(f"/admin/commitments/importjob/{job.pk}/change/")
    listing = client.get("/admin/commitments/importjob/")
    client.force_login(other_reporter)
    other = client.get(f"/admin/commitments/importjob/{job.pk}/change/")

    assert page.status_code == 200 and listing.status_code == 200
    assert "5 of 5" in page.content.decode() and "Unknown State code" in page.content.decode()
    assert other.status_code == 302  # Django's admin redirects for an object the user cannot see
