from django.db.models import Exists, OuterRef, Q
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from commitments.models import Dimension
from states.filters import StateFilter
from states.models import Membership, StateGroup

from ..models import GroupScorecard, PeriodKind, Scorecard
from ..periods import PeriodSpan

OVERALL = "overall"


def _filter_dimension(queryset, name, value):
    if value == OVERALL:
        return queryset.filter(dimension__isnull=True)
    if not Dimension.objects.filter(slug=value).exists():
        slugs = ", ".join([*Dimension.objects.values_list("slug", flat=True), OVERALL])
        raise ValidationError({"dimension": [f"Unknown dimension “{value}”: use one of {slugs}."]})
    return queryset.filter(dimension__slug=value)


def _filter_period(queryset, name, value):
    try:
        span = PeriodSpan.parse(value)
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from None
    return queryset.filter(period__label=span.label)


class ScoreFilterBase(filters.FilterSet):
    dimension = filters.CharFilter(
        method=lambda qs, name, value: _filter_dimension(qs, name, value),
        help_text="Dimension slug, or `overall` for the overall row.",
    )
    period = filters.CharFilter(
        method=lambda qs, name, value: _filter_period(qs, name, value), help_text="2010 or 2010-Q2."
    )
    period_kind = filters.ChoiceFilter(field_name="period__kind", choices=PeriodKind.choices)
    period_after = filters.DateFilter(
        field_name="period__start", lookup_expr="gte", help_text="Periods starting on or after."
    )
    period_before = filters.DateFilter(
        field_name="period__end", lookup_expr="lte", help_text="Periods ending on or before."
    )


@extend_schema_field(OpenApiTypes.STR)
class GroupSlugFilter(filters.ModelChoiceFilter):
    pass


class ScorecardFilter(ScoreFilterBase):
    state = StateFilter(field_name="state", help_text=StateFilter.HELP)
    group = GroupSlugFilter(
        method="filter_group",
        to_field_name="slug",
        queryset=StateGroup.objects.all(),
        help_text="Scorecards of the group's members as of each period's end.",
    )

    class Meta:
        model = Scorecard
        fields = ["state", "group", "dimension", "period", "period_kind"]

    def filter_group(self, queryset, name, value):
        member_then = Membership.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=OuterRef("period__end")),
            group=value,
            state=OuterRef("state"),
            joined_on__lte=OuterRef("period__end"),
        )
        return queryset.filter(Exists(member_then))


class GroupScorecardFilter(ScoreFilterBase):
    group = filters.CharFilter(method="filter_group", help_text="Group slug, or `all` for all participating States.")

    class Meta:
        model = GroupScorecard
        fields = ["group", "dimension", "period", "period_kind"]

    def filter_group(self, queryset, name, value):
        if value == "all":
            return queryset.filter(group__isnull=True)
        if not StateGroup.objects.filter(slug=value).exists():
            raise ValidationError({"group": [f"Unknown group “{value}”."]})
        return queryset.filter(group__slug=value)
