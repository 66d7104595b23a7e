from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.models import Dimension
from scorecards.models import Frequency
from states.models import State


class SubscribeForm(forms.Form):
    """The digest subscription, one question per field (GOV.UK pattern); empty choices mean "all"."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send a confirmation link first; nothing else is sent until you open it."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    states = forms.ModelMultipleChoiceField(
        label=_("Which States?"),
        queryset=State.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to follow all participating States."),
    )
    dimensions = forms.ModelMultipleChoiceField(
        label=_("Which dimensions?"),
        queryset=Dimension.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to follow all three dimensions."),
    )
    frequency = forms.ChoiceField(
        label=_("How often?"),
        choices=Frequency.choices,
        initial=Frequency.QUARTERLY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want the digest")},
    )
