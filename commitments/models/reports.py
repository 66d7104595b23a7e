import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from corfu_tracker.models import TimeStampedModel
from corfu_tracker.review_constraints import review_constraints
from states.models import State

from .catalogue import Commitment


class HttpLinkValidator(URLValidator):
    """An http(s) URL with nothing that must be percent-encoded: no quotes, angle brackets, spaces or controls.

    Django's URLValidator lets any non-space character through in the path, so
    `https://example.org/"><script>` passed; RFC 3986 allows none of these characters raw.
    """

    forbidden = frozenset('"<>\\^`{|}' + "'")

    def __call__(self, value):
        if isinstance(value, str) and any(
            char in self.forbidden or char.isspace() or not char.isprintable() for char in value
        ):
            raise ValidationError(
                "Enter a link without quotes, angle brackets, spaces or control characters "
                "(percent-encode them: %%22, %%3C, %%20).",
                code=self.code,
                params={"value": value},
            )
        super().__call__(value)


http_url_validator = HttpLinkValidator(schemes=["http", "https"], message="Enter an http:// or https:// link.")


class ReportKind(models.TextChoices):
    IMPLEMENTATION = "implementation", "Implementation"
    VIOLATION = "violation", "Violation"


class ReportLevel(models.TextChoices):
    FULL = "full", "Full"
    PARTIAL = "partial", "Partial"
    NONE = "none", "None"


class ReportSeverity(models.TextChoices):
    MINOR = "minor", "Minor"
    SERIOUS = "serious", "Serious"
    GRAVE = "grave", "Grave"


class ReportSource(models.TextChoices):
    ODIHR = "odihr", "ODIHR"
    HCNM = "hcnm", "High Commissioner on National Minorities"
    RFOM = "rfom", "Representative on Freedom of the Media"
    FIELD_OPERATION = "field_operation", "OSCE field operation"
    CHAIRMANSHIP = "chairmanship", "OSCE Chairmanship"
    STATE = "state", "The State itself"
    INTERNATIONAL_BODY = "international_body", "Another international body"
    NGO = "ngo", "Non-governmental organisation"
    MEDIA = "media", "Media"
    SYNTHETIC_DEMO = "synthetic_demo", "Synthetic demo data (not a real report)"


def staff_source_choices(*, current: str = "") -> list[tuple[str, str]]:
    """The sources staff may choose: every one but synthetic demo data, which only `seed_demo` writes.

    `current` is kept as a choice when it is synthetic, so an existing synthetic report keeps its value.
    """
    synthetic = ReportSource.SYNTHETIC_DEMO
    return [(value, label) for value, label in ReportSource.choices if value != synthetic or current == synthetic]


def staff_source_error(*, source: str, current: str = "") -> str:
    """Why staff may not set this source (empty if they may): admin, API, import and services all ask this."""
    if source == ReportSource.SYNTHETIC_DEMO and current != source:
        return (
            "Synthetic demo data is not a source staff can choose: only `manage.py seed_demo` writes it. "
            "Choose the organisation the report comes from."
        )
    return ""


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    RETRACTED = "retracted", "Retracted"


def choice_values(choices) -> list[str]:
    return [value for value, _ in choices.choices]


# What makes two reports the same report (docs/methodology.md, "The same report"): these fields, compared exactly
# as stored. level and severity are "" on the other kind, and an empty source link equals an empty one, so a
# report without a link is the same as another without one that agrees on the rest. Summary, citation and
# source describe a report; they do not make it another one.
REPORT_IDENTITY_FIELDS = ("state", "commitment", "kind", "level", "severity", "observed_on", "source_url")
# A report stands until it is retracted or rejected; only a standing report blocks its duplicates.
STANDING_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.VERIFIED)
SAME_REPORT = "the same State, commitment, kind, level or severity, observed_on and source link"
# Identities looked up per query by `ReportQuerySet.standing_by_identity` (bounded for SQLite's parameters).
IDENTITY_LOOKUP_CHUNK = 1000

# (state_id, commitment_id, kind, level, severity, observed_on, source_url)
ReportIdentity = tuple[str, int, str, str, str, datetime.date, str]
IDENTITY_ATTNAMES = tuple(f"{name}_id" if name in ("state", "commitment") else name for name in REPORT_IDENTITY_FIELDS)


def identity_of(row) -> ReportIdentity:
    """What makes a report the same as another (REPORT_IDENTITY_FIELDS), in IDENTITY_ATTNAMES order: of a
    Report, or of any row with those attributes (the import's checked rows)."""
    return tuple(getattr(row, attname) for attname in IDENTITY_ATTNAMES)


def duplicate_message(*, existing_pk: int, existing_status: str) -> str:
    """Names the standing report a new one repeats: the admin, the API and the import all say this."""
    return (
        f"Duplicate of report #{existing_pk} ({existing_status}), which has {SAME_REPORT}. "
        "Retract that report first if this one replaces it; a different event needs its own source link."
    )


def duplicate_error(existing: "Report") -> ValidationError:
    message = duplicate_message(existing_pk=existing.pk, existing_status=existing.status)
    return ValidationError(message, code="duplicate")


class ReportQuerySet(models.QuerySet):
    def verified(self) -> "ReportQuerySet":
        return self.filter(status=ReportStatus.VERIFIED)

    def visible_to(self, user) -> "ReportQuerySet":
        """Published (verified) reports for everybody; own reports and review work for staff users."""
        if not user or not user.is_authenticated:
            return self.verified()
        if user.is_superuser or user.has_perm("commitments.review_report"):
            return self.filter(~Q(status=ReportStatus.DRAFT) | Q(created_by=user))
        return self.filter(Q(status=ReportStatus.VERIFIED) | Q(created_by=user))

    def awaiting_review_by(self, user) -> "ReportQuerySet":
        return self.filter(status=ReportStatus.SUBMITTED).exclude(submitted_by=user)

    def standing(self) -> "ReportQuerySet":
        return self.filter(status__in=STANDING_STATUSES)

    def duplicates_of(self, report: "Report") -> "ReportQuerySet":
        """The standing reports with `report`'s identity (REPORT_IDENTITY_FIELDS), `report` itself excepted."""
        found = self.standing().filter(**dict(zip(IDENTITY_ATTNAMES, report.identity, strict=True)))
        return found.exclude(pk=report.pk) if report.pk is not None else found

    def first_duplicate_of(self, report: "Report") -> "Report | None":
        return self.duplicates_of(report).order_by("pk").first()

    def standing_by_identity(self, identities) -> dict[ReportIdentity, tuple[int, str]]:
        """(pk, status) of the standing report with each of `identities` that has one: a query per chunk.

        Each chunk narrows by its States, commitments and dates (the identity index serves it), and the
        few extra rows that combination lets through are dropped here by their whole identity.
        """
        wanted = sorted(set(identities))
        found: dict[ReportIdentity, tuple[int, str]] = {}
        for start in range(0, len(wanted), IDENTITY_LOOKUP_CHUNK):
            chunk = wanted[start : start + IDENTITY_LOOKUP_CHUNK]
            keys = set(chunk)
            rows = (
                self.standing()
                .filter(
                    state_id__in={key[0] for key in chunk},
                    commitment_id__in={key[1] for key in chunk},
                    observed_on__in={key[5] for key in chunk},
                )
                .order_by("pk")
                .values_list("pk", "status", *IDENTITY_ATTNAMES)
            )
            for pk, status, *identity in rows:
                key = tuple(identity)
                if key in keys:
                    found.setdefault(key, (pk, status))
        return found


class StandingReportUnique(models.UniqueConstraint):
    """No two standing reports with the same identity (REPORT_IDENTITY_FIELDS, STANDING_STATUSES).

    The database's partial unique index refuses the second of two identical reports written at the same
    time, whatever wrote them (form, API, import, seed). Model validation (`full_clean`, which the admin
    form, the API and the services all run) names the report already there, not Django's generic message.
    """

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        # The admin's form leaves `status` out (it is read-only there): only an identity field left out,
        # or one that already failed validation, skips the check.
        if exclude and any(name in exclude for name in self.fields):
            return
        if instance.status not in STANDING_STATUSES:
            return
        existing = model._default_manager.using(using).first_duplicate_of(instance)
        if existing is not None:
            raise duplicate_error(existing)


class Report(TimeStampedModel):
    """What a monitoring source says a State did about one commitment on one date."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="reports")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    level = models.CharField(
        max_length=10, choices=ReportLevel.choices, blank=True, help_text="Implementation reports only."
    )
    severity = models.CharField(
        max_length=10, choices=ReportSeverity.choices, blank=True, help_text="Violation reports only."
    )
    observed_on = models.DateField(help_text="When the implementation or violation was observed.")
    summary = models.TextField()
    source = models.CharField(max_length=30, choices=ReportSource.choices)
    source_url = models.URLField("source link", max_length=500, blank=True, validators=[http_url_validator])
    citation = models.CharField(max_length=300, blank=True)

    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    ever_verified = models.BooleanField(
        default=False,
        editable=False,
        help_text="Set when the report is first verified and never cleared: any later change to it may move "
        "scores, so the nightly catch-up looks at it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_created", null=True, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_submitted", null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_reviewed", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_retracted", null=True, blank=True
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The report this one corrects (retract the old one).",
    )

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-observed_on", "-id"]
        permissions = [("review_report", "Can verify or reject reports submitted by others")]
        indexes = [
            # Scoring reads verified reports by (commitment, state) within a date window.
            models.Index(
                fields=["state", "commitment", "kind", "observed_on"],
                condition=Q(status="verified"),
                name="report_verified_scoring_idx",
            ),
            # A one-State recompute reads one State's verified reports of a date span from this index
            # alone (an index-only scan): no heap page per report.
            models.Index(
                fields=["state", "observed_on"],
                include=["commitment", "kind", "level", "severity", "id"],
                condition=Q(status="verified"),
                name="report_verified_state_cover",
            ),
            models.Index(fields=["status", "observed_on"], name="report_status_observed_idx"),
            models.Index(fields=["state", "observed_on"], name="report_state_observed_idx"),
        ]
        constraints = [
            # Also the index the duplicate checks read (ReportQuerySet.duplicates_of, standing_by_identity).
            StandingReportUnique(
                fields=REPORT_IDENTITY_FIELDS,
                condition=Q(status__in=STANDING_STATUSES),
                name="report_standing_identity_unique",
            ),
            models.CheckConstraint(condition=Q(kind__in=choice_values(ReportKind)), name="report_kind_valid"),
            models.CheckConstraint(
                condition=(
                    Q(kind=ReportKind.IMPLEMENTATION, level__in=choice_values(ReportLevel), severity="")
                    | Q(kind=ReportKind.VIOLATION, severity__in=choice_values(ReportSeverity), level="")
                ),
                name="report_level_or_severity_matches_kind",
                violation_error_message="An implementation report has a level; a violation report has a severity.",
            ),
            models.CheckConstraint(condition=Q(source__in=choice_values(ReportSource)), name="report_source_valid"),
            models.CheckConstraint(condition=Q(status__in=choice_values(ReportStatus)), name="report_status_valid"),
            models.CheckConstraint(
                condition=Q(source_url="") | Q(source_url__startswith="http://") | Q(source_url__startswith="https://"),
                name="report_source_url_http",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft"]) | Q(submitted_by__isnull=False) | Q(status="retracted"),
                name="report_submitted_has_submitter",
            ),
            *review_constraints(prefix="report", noun="A report"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.state_id} {self.commitment} {self.kind} {self.observed_on}"

    @property
    def identity(self) -> ReportIdentity:
        return identity_of(self)

    @property
    def grade(self) -> str:
        return self.level or self.severity

    @property
    def is_synthetic(self) -> bool:
        return self.source == ReportSource.SYNTHETIC_DEMO

    def clean(self):
        errors = report_content_errors(
            kind=self.kind,
            level=self.level,
            severity=self.severity,
            observed_on=self.observed_on,
            state=self.state if self.state_id else None,
            commitment=self.commitment if self.commitment_id else None,
        )
        if errors:
            raise ValidationError(errors)


def report_content_errors(
    *,
    kind: str,
    level: str,
    severity: str,
    observed_on: datetime.date | None,
    state: State | None,
    commitment: Commitment | None,
    today: datetime.date | None = None,
) -> dict[str, str]:
    """The content rules of a report, by field. Shared by the model, the import and the API."""
    errors: dict[str, str] = {}
    if kind == ReportKind.IMPLEMENTATION:
        if severity:
            errors["severity"] = "An implementation report has no severity; give a level instead."
        if not level:
            errors["level"] = "An implementation report needs a level: full, partial or none."
    elif kind == ReportKind.VIOLATION:
        if level:
            errors["level"] = "A violation report has no level; give a severity instead."
        if not severity:
            errors["severity"] = "A violation report needs a severity: minor, serious or grave."
    if observed_on:
        today = today or timezone.localdate()
        if observed_on > today:
            errors["observed_on"] = f"Observed on {observed_on} is in the future."
        elif state is not None and observed_on < state.admitted_on:
            errors["observed_on"] = (
                f"{state.name} was not yet a participating State on {observed_on} (admitted {state.admitted_on})."
            )
        elif commitment is not None and not commitment.is_in_force_on(observed_on):
            errors["observed_on"] = f"Commitment {commitment.code} was not in force on {observed_on}."
    return errors
