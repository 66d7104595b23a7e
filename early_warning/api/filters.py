from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from commitments.models import Dimension
from states.filters import StateFilter

from ..models import Alert, AlertStatus


class AlertFilter(filters.FilterSet):
    state = StateFilter(field_name="state", help_text=StateFilter.HELP)
    dimension = filters.CharFilter(method="filter_dimension", help_text="Dimension slug, e.g. human.")
    status = filters.ChoiceFilter(choices=AlertStatus.choices)

    class Meta:
        model = Alert
        fields = ["state", "dimension", "status"]

    def filter_dimension(self, queryset, name, value):
        if not Dimension.objects.filter(slug=value).exists():
            slugs = ", ".join(Dimension.objects.values_list("slug", flat=True))
            raise ValidationError({"dimension": [f"Unknown dimension “{value}”: use one of {slugs}."]})
        return queryset.filter(dimension__slug=value)
