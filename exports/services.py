"""Export jobs: create one, run it once, and sweep (expire old files, queue again jobs whose worker died)."""

import datetime
import functools
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from corfu_tracker.exporting import export_rows

from .files import write_export
from .models import ExportJob, ExportStatus
from .resources import RESOURCES, InvalidFilters

logger = logging.getLogger(__name__)


def export_job_create(*, user, resource: str, filters: dict[str, str], file_format: str) -> ExportJob:
    """A queued job for rows the caller may see; the worker is asked once the job is committed.

    `resource`, `filters` and `file_format` come validated (exports.api.serializers checks the filters
    with `ExportResource.rows`, the same call the job runs).
    """
    from .tasks import run_export_job

    job = ExportJob.objects.create(
        resource=resource,
        filters=filters,
        format=file_format,
        requested_by=user if user and user.is_authenticated else None,
    )
    transaction.on_commit(functools.partial(run_export_job.delay, str(job.pk)))
    return job


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    # No task outlives Celery's hard time limit: a job running longer than that has lost its worker.
    return now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def export_job_run(*, job_id: str) -> str:
    """Write the job's file once. Claimed with a conditional UPDATE: a second delivery of a queued, running or
    finished job does nothing, but a job whose worker died (running past the hard time limit) runs again."""
    now = timezone.now()
    claimable = Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, started_at__lt=_stale_before(now))
    if not ExportJob.objects.filter(claimable, pk=job_id).update(
        status=ExportStatus.RUNNING, started_at=now, updated_at=now, error=""
    ):
        return "not-claimed"
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    ours = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING, started_at=now)
    try:
        resource = RESOURCES[job.resource]
        queryset = resource.rows(user=job.requested_by, filters=job.filters)
        rows = export_rows(queryset, values_map=resource.values_map, names=resource.columns)
        written = write_export(rows, directory=Path(settings.EXPORTS_DIR), stem=str(job.pk), file_format=job.format)
    except InvalidFilters as exc:
        ours.update(status=ExportStatus.FAILED, error=f"Invalid filters: {exc.errors}", finished_at=timezone.now())
        return "failed"
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        ours.update(status=ExportStatus.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now())
        return "failed"
    finished = timezone.now()
    ours.update(
        status=ExportStatus.DONE,
        row_count=written.rows,
        byte_size=written.bytes,
        sha256=written.sha256,
        file_name=written.name,
        finished_at=finished,
        expires_at=finished + datetime.timedelta(days=settings.EXPORTS_EXPIRE_DAYS),
        updated_at=finished,
    )
    return "done"


def export_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Mark every done job past its expiry as expired, then delete its file. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now).only("pk", "file_name"):
        # Marked first: a second sweep, or a download starting meanwhile, finds it expired, never a missing file.
        if ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).update(
            status=ExportStatus.EXPIRED, updated_at=now
        ):
            job.path.unlink(missing_ok=True)
            expired += 1
    _remove_abandoned_partial_files(before=_stale_before(now))
    return expired


def _remove_abandoned_partial_files(*, before: datetime.datetime) -> None:
    directory = Path(settings.EXPORTS_DIR)
    if not directory.is_dir():
        return
    for partial in directory.glob(".*.part"):
        if partial.stat().st_mtime < before.timestamp():
            partial.unlink(missing_ok=True)


def export_jobs_requeue_stale(*, now: datetime.datetime | None = None) -> list[str]:
    """Queue again the jobs whose worker died while running them (running past the hard time limit)."""
    from .tasks import run_export_job

    now = now or timezone.now()
    stale = [
        str(pk)
        for pk in ExportJob.objects.filter(status=ExportStatus.RUNNING, started_at__lt=_stale_before(now)).values_list(
            "pk", flat=True
        )
    ]
    for job_id in stale:
        transaction.on_commit(functools.partial(run_export_job.delay, job_id))
    return stale
