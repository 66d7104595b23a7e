"""A filter for API query parameters that name one State."""

from django import forms
from django_filters import rest_framework as filters

from .selectors import state_lookup

UNKNOWN_STATE = "Unknown State “%(term)s”: give an ISO 3166 code (AT), or a name (Austria)."


class StateField(forms.CharField):
    def clean(self, value):
        term = super().clean(value)
        if not term:
            return None
        state = state_lookup(term=term)
        if state is None:
            raise forms.ValidationError(UNKNOWN_STATE, code="unknown_state", params={"term": term})
        return state


class StateFilter(filters.Filter):
    """Accepts `at`, `AT`, `AUT`, `Austria` or another common name (`Turkey`, `UK`); unknown: a 400 naming it."""

    HELP = "ISO code (either case), alpha-3 code, name or another common name (Turkey, UK)."
    field_class = StateField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value.code})
