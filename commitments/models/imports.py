from django.conf import settings
from django.db import models

from corfu_tracker.models import TimeStampedModel


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ImportJob(TimeStampedModel):
    """A bulk import too large for the web request (over IMPORT_ASYNC_ROWS rows), run by a Celery worker.

    The uploaded file is kept under MEDIA_ROOT/imports/ until the job has run (it is bounded by
    IMPORT_MAX_UPLOAD_BYTES), then deleted. Progress and the outcome are shown in the admin.
    """

    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField("reports created", default=0)
    errors = models.JSONField(default=list, blank=True, help_text="Problems found, one line each.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[choice for choice, _ in ImportJobStatus.choices]),
                name="importjob_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")), name="importjob_progress"
            ),
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} {self.filename} ({self.status})"
