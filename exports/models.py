"""Export jobs: every row of a resource, written to a file by a Celery worker, downloaded later."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from corfu_tracker.models import TimeStampedModel


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    PARQUET = "parquet", "Parquet"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


MEDIA_TYPES = {ExportFormat.CSV: "text/csv; charset=utf-8", ExportFormat.PARQUET: "application/vnd.apache.parquet"}


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExportJobQuerySet":
        """A signed-in user's own jobs; anonymous jobs (published data only) to whoever holds their random id."""
        anonymous = Q(requested_by__isnull=True)
        if user and user.is_authenticated:
            return self.filter(anonymous | Q(requested_by=user))
        return self.filter(anonymous)


class ExportJob(TimeStampedModel):
    """One export: what was asked (resource, filters, format), by whom, and the file it produced.

    The rows are those the requester may see, read when the job runs. The file lives under EXPORTS_DIR
    until `expires_at`, when the hourly sweep deletes it and marks the job expired.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.CharField(max_length=30)
    filters = models.JSONField(default=dict, blank=True, help_text="Filter name to value, as in the list's query.")
    format = models.CharField(max_length=10, choices=ExportFormat.choices, default=ExportFormat.CSV)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_jobs",
        help_text="Empty for an anonymous request: published rows only.",
    )
    row_count = models.BigIntegerField(null=True, blank=True)
    byte_size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    file_name = models.CharField(max_length=100, blank=True, help_text="Under EXPORTS_DIR.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="exportjob_status_valid"),
            models.CheckConstraint(condition=Q(format__in=ExportFormat.values), name="exportjob_format_valid"),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE)
                | (
                    Q(row_count__isnull=False, byte_size__isnull=False, expires_at__isnull=False)
                    & Q(sha256__regex=r"^[0-9a-f]{64}$")
                    & ~Q(file_name="")
                ),
                name="exportjob_done_has_file",
            ),
        ]
        indexes = [
            # The hourly sweep: done jobs past their expiry, and running jobs whose worker died.
            models.Index(fields=["status", "expires_at"], name="exportjob_sweep"),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} of {self.resource} ({self.status})"

    def current_status(self, now=None) -> str:
        """The stored status, except that a done job past its expiry is expired even before the sweep ran."""
        now = now or timezone.now()
        if self.status == ExportStatus.DONE and self.expires_at and self.expires_at <= now:
            return ExportStatus.EXPIRED
        return self.status

    @property
    def path(self) -> Path:
        return Path(settings.EXPORTS_DIR) / self.file_name

    @property
    def download_name(self) -> str:
        return f"{self.resource}-{str(self.pk)[:8]}.{self.format}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]
