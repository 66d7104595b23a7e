import re

from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from commitments.models import Commitment, Dimension, Theme
from corfu_tracker.api.filters import FormClassCacheMixin
from states.filters import StateFilter
from states.models import StateGroup

from ..models import FollowUpIndex, Institution, Recommendation, RecommendationStatus

OVERALL = "overall"


class RecommendationFilter(FormClassCacheMixin, filters.FilterSet):
    """Filters on the list; `status`, `overdue` and `closed` filter the annotations of the selector."""

    state = StateFilter(field_name="state", help_text=StateFilter.HELP)
    institution = filters.ModelChoiceFilter(to_field_name="slug", queryset=Institution.objects.all())
    status = filters.ChoiceFilter(choices=RecommendationStatus.choices)
    overdue = filters.BooleanFilter()
    closed = filters.BooleanFilter()
    priority = filters.BooleanFilter()
    commitment = filters.ModelChoiceFilter(
        field_name="commitments", to_field_name="code", queryset=Commitment.objects.all()
    )
    dimension = filters.ModelChoiceFilter(
        method="filter_dimension",
        to_field_name="slug",
        queryset=Dimension.objects.all(),
        help_text="Recommendations serving at least one commitment of this dimension.",
    )
    theme = filters.ModelChoiceFilter(field_name="themes", to_field_name="slug", queryset=Theme.objects.all())
    issued_after = filters.DateFilter(field_name="source_date", lookup_expr="gte", help_text="On or after.")
    issued_before = filters.DateFilter(field_name="source_date", lookup_expr="lte", help_text="On or before.")

    class Meta:
        model = Recommendation
        fields = ["state", "institution", "status", "overdue", "closed", "priority", "commitment", "theme"]

    def filter_dimension(self, queryset, name, value: Dimension):
        # A subquery, not a join: a recommendation serving two commitments of the dimension appears once.
        serving = Recommendation.commitments.through.objects.filter(commitment__dimension=value)
        return queryset.filter(pk__in=serving.values("recommendation_id"))


def _filter_dimension(queryset, name, value):
    if value == OVERALL:
        return queryset.filter(dimension__isnull=True)
    if not Dimension.objects.filter(slug=value).exists():
        slugs = ", ".join([*Dimension.objects.values_list("slug", flat=True), OVERALL])
        raise ValidationError({"dimension": [f"Unknown dimension “{value}”: use one of {slugs}."]})
    return queryset.filter(dimension__slug=value)


def _filter_group(queryset, name, value):
    if value == "all":
        return queryset.filter(state__isnull=True, group__isnull=True)
    if not StateGroup.objects.filter(slug=value).exists():
        raise ValidationError({"group": [f"Unknown group “{value}”: use a group slug or `all`."]})
    return queryset.filter(group__slug=value)


class FollowUpIndexFilter(filters.FilterSet):
    state = StateFilter(field_name="state", help_text=StateFilter.HELP)
    group = filters.CharFilter(
        method=lambda qs, name, value: _filter_group(qs, name, value),
        help_text="Group slug, or `all` for all participating States.",
    )
    period = filters.CharFilter(method="filter_period", help_text="2010 or 2010-Q2.")
    dimension = filters.CharFilter(
        method=lambda qs, name, value: _filter_dimension(qs, name, value),
        help_text="Dimension slug, or `overall` for the overall row.",
    )
    method = filters.NumberFilter(field_name="method_version", help_text="Scoring method version of the recompute.")

    class Meta:
        model = FollowUpIndex
        fields = ["state", "group", "period", "dimension", "method"]

    def filter_period(self, queryset, name, value):
        if not re.fullmatch(r"\d{4}(-Q[1-4])?", value or ""):
            raise ValidationError({"period": [f"“{value}” is not a period: use YYYY for a year or YYYY-Qn."]})
        return queryset.filter(period=value)
