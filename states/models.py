import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django_countries import countries


def validate_iso_alpha2(value: str) -> None:
    if value not in dict(countries):
        raise ValidationError(f"“{value}” is not an ISO 3166-1 alpha-2 country code.", code="iso")


class StateQuerySet(models.QuerySet):
    def participating_on(self, day: datetime.date) -> "StateQuerySet":
        return self.filter(admitted_on__lte=day)

    def members_of(self, group: "StateGroup", on: datetime.date) -> "StateQuerySet":
        return self.filter(memberships__in=Membership.objects.of_group_on(group, on)).distinct()


class State(models.Model):
    """An OSCE participating State, publicly identified by its ISO 3166 alpha-2 code."""

    code = models.CharField(
        "ISO code",
        max_length=2,
        primary_key=True,
        validators=[validate_iso_alpha2],
        help_text="ISO 3166-1 alpha-2 code, upper case (e.g. AT).",
    )
    iso3 = models.CharField("ISO alpha-3", max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    admitted_on = models.DateField(help_text="Date the State became a CSCE/OSCE participating State.")
    note = models.CharField(max_length=255, blank=True)
    other_names = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other names and codes people use, separated by semicolons (e.g. Turkey; UK; USA).",
    )

    objects = StateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="state_code_iso_alpha2"),
            models.CheckConstraint(condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="state_iso3_format"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self):
        errors = {}
        if self.code:
            self.code = self.code.upper()
        if self.iso3:
            self.iso3 = self.iso3.upper()
        if self.code in dict(countries) and self.iso3:
            expected = countries.alpha3(self.code)
            if expected and expected != self.iso3:
                errors["iso3"] = f"ISO alpha-3 code for {self.code} is {expected}, not {self.iso3}."
        if errors:
            raise ValidationError(errors)

    @property
    def other_names_list(self) -> list[str]:
        return [name.strip() for name in self.other_names.split(";") if name.strip()]

    def is_participating_on(self, day: datetime.date) -> bool:
        return self.admitted_on <= day


class StateGroupManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class StateGroup(models.Model):
    """A grouping of participating States (EU, NATO, ...) with dated memberships."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    url = models.URLField("link", blank=True)

    objects = StateGroupManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)

    def members_on(self, day: datetime.date) -> StateQuerySet:
        return State.objects.members_of(self, day)


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "MembershipQuerySet":
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day), joined_on__lte=day)

    def of_group_on(self, group: StateGroup, day: datetime.date) -> "MembershipQuerySet":
        return self.filter(group=group).active_on(day)


class MembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    def get_by_natural_key(self, group_slug, state_code, joined_on):
        return self.get(group__slug=group_slug, state_id=state_code, joined_on=joined_on)


class Membership(models.Model):
    """A State's membership of a group from `joined_on` until the day before `left_on`."""

    group = models.ForeignKey(StateGroup, on_delete=models.CASCADE, related_name="memberships")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField()
    left_on = models.DateField(
        null=True, blank=True, help_text="First day the State was no longer a member; empty if still a member."
    )
    note = models.CharField(max_length=255, blank=True)

    objects = MembershipManager()

    class Meta:
        ordering = ["group", "joined_on", "state"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message="A membership cannot end before it starts.",
            ),
            models.UniqueConstraint(fields=["group", "state", "joined_on"], name="membership_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} in {self.group} from {self.joined_on}"

    def natural_key(self):
        return (*self.group.natural_key(), self.state_id, self.joined_on.isoformat())

    natural_key.dependencies = ["states.stategroup", "states.state"]

    def is_active_on(self, day) -> bool:
        """The same rule as `MembershipQuerySet.active_on`, for memberships already loaded."""
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)

    def clean(self):
        if self.left_on and self.joined_on and self.left_on <= self.joined_on:
            raise ValidationError({"left_on": "A membership must end after it starts (left on is after joined on)."})
        if self.group_id and self.state_id and self.joined_on:
            overlapping = (
                Membership.objects.filter(group_id=self.group_id, state_id=self.state_id)
                .exclude(pk=self.pk)
                .filter(Q(left_on__isnull=True) | Q(left_on__gt=self.joined_on))
            )
            if self.left_on:
                overlapping = overlapping.filter(joined_on__lt=self.left_on)
            if overlapping.exists():
                raise ValidationError(
                    {"joined_on": "This State already has a membership of this group covering these dates."}
                )
