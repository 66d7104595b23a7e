import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

# The API looks slugs up in lower case only (`lookup_value_regex`): an upper-case slug could be saved but never fetched.
lowercase_slug_validator = RegexValidator(
    r"^[-a-z0-9_]+\Z", "Use lower-case letters, digits, hyphens and underscores only.", code="invalid_slug"
)


class BySlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ByCodeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Dimension(models.Model):
    """One of the three OSCE dimensions of security."""

    slug = models.SlugField(unique=True, validators=[lowercase_slug_validator])
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = BySlugManager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)


class Theme(models.Model):
    """A topic that cuts across documents, such as the Corfu Process topics of dialogue."""

    slug = models.SlugField(unique=True, validators=[lowercase_slug_validator])
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    objects = BySlugManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)


class SourceDocument(models.Model):
    """An OSCE/CSCE document in which participating States took on commitments."""

    code = models.SlugField(
        max_length=20, unique=True, allow_unicode=False, help_text="Stable short code, e.g. COP-1990."
    )
    title = models.CharField(max_length=300)
    adopted_on = models.DateField()
    place = models.CharField(max_length=100, blank=True)
    url = models.URLField("link", blank=True)
    dimensions = models.ManyToManyField(Dimension, related_name="documents", blank=True)

    objects = ByCodeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["adopted_on", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def natural_key(self):
        return (self.code,)

    def clean(self):
        if self.pk and self.adopted_on:
            too_early = Commitment.objects.filter(document=self, in_force_from__lt=self.adopted_on)
            if too_early.exists():
                raise ValidationError(
                    {"adopted_on": "Some commitments of this document are in force before this date."}
                )


class CommitmentQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> "CommitmentQuerySet":
        return self.filter(Q(in_force_until__isnull=True) | Q(in_force_until__gte=day), in_force_from__lte=day)


class CommitmentManager(models.Manager.from_queryset(CommitmentQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Commitment(models.Model):
    """One political commitment, traced to a paragraph of a source document."""

    code = models.CharField(
        max_length=40,
        unique=True,
        help_text="Stable code: document code and paragraph, e.g. COP-1990-7.3.",
    )
    document = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="commitments")
    paragraph = models.CharField(
        "paragraph reference", max_length=80, help_text="Paragraph or chapter in the document, e.g. 7.3."
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What the States committed to, in our own words.")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="commitments")
    themes = models.ManyToManyField(Theme, related_name="commitments", blank=True)
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=1, help_text="Weight in the dimension score; default 1."
    )
    in_force_from = models.DateField(blank=True, help_text="Leave empty for the date the document was adopted.")
    in_force_until = models.DateField(null=True, blank=True, help_text="Last day in force; empty while still in force.")

    objects = CommitmentManager()
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="commitment_weight_positive"),
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True) | Q(in_force_until__gte=models.F("in_force_from")),
                name="commitment_in_force_until_after_from",
                violation_error_message="A commitment cannot leave force before it enters into force.",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="commitment_code_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def save(self, *args, **kwargs):
        if self.in_force_from is None and self.document_id:
            self.in_force_from = self.document.adopted_on
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.document_id and self.in_force_from is None:
            self.in_force_from = self.document.adopted_on
        if self.document_id and self.in_force_from and self.in_force_from < self.document.adopted_on:
            errors["in_force_from"] = (
                f"A commitment cannot be in force before its document was adopted ({self.document.adopted_on})."
            )
        if self.in_force_until and self.in_force_from and self.in_force_until < self.in_force_from:
            errors["in_force_until"] = "A commitment cannot leave force before it enters into force."
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        return (self.code,)

    def is_in_force_on(self, day: datetime.date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)
