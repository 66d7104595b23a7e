"""Celery tasks for exports: thin wrappers that take plain values and call services."""

from celery import shared_task

from . import services


# acks_late: a run is claimed with a conditional UPDATE and writes its file under a temporary name, so a
# redelivery after a worker died either does nothing or (once the claim is stale) writes the same file again.
@shared_task(acks_late=True)
def run_export_job(job_id: str) -> str:
    return services.export_job_run(job_id=job_id)


@shared_task
def sweep_exports() -> dict:
    expired = services.export_jobs_expire()
    requeued = services.export_jobs_requeue_stale()
    return {"expired": expired, "requeued": requeued}
