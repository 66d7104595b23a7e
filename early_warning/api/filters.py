from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from commitments.models import Dimension
from states.models import State

from ..models import Alert, AlertStatus


class AlertFilter(filters.FilterSet):
    state = filters.CharFilter(method="filter_state", help_text="ISO code of the State, e.g. AT.")
    dimension = filters.CharFilter(method="filter_dimension", help_text="Dimension slug, e.g. human.")
    status = filters.ChoiceFilter(choices=AlertStatus.choices)

    class Meta:
        model = Alert
        fields = ["state", "dimension", "status"]

    def filter_state(self, queryset, name, value):
        code = value.strip().upper()
        if not State.objects.filter(code=code).exists():
            raise ValidationError({"state": [f"Unknown State code “{value}”: use an ISO code from /api/v1/states/."]})
        return queryset.filter(state_id=code)

    def filter_dimension(self, queryset, name, value):
        if not Dimension.objects.filter(slug=value).exists():
            slugs = ", ".join(Dimension.objects.values_list("slug", flat=True))
            raise ValidationError({"dimension": [f"Unknown dimension “{value}”: use one of {slugs}."]})
        return queryset.filter(dimension__slug=value)
