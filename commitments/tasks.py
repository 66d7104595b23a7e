"""Celery tasks for commitments: thin wrappers that take plain values and call services."""

from celery import shared_task

from . import imports


@shared_task
def run_import_job(job_id: int) -> str:
    # Claimed with a conditional UPDATE (queued -> running): a second delivery does nothing.
    return imports.import_job_run(job_id=job_id)
