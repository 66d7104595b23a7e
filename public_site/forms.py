from django import forms
from django.utils.translation import gettext_lazy as _

from commitments.models import Dimension, SourceDocument, Theme
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


class HeatmapForm(forms.Form):
    """The heatmap's GET form: which period, which group, which order. Every field optional."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        error_messages={"invalid_choice": _("Choose a period that has scores, like 2025-Q3 or 2025")},
    )
    group = forms.ChoiceField(
        label=_("States"),
        required=False,
        error_messages={"invalid_choice": _("Choose all States or one of the groups listed")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Sort by name, code, a dimension or overall")},
    )

    def __init__(self, data, *, periods: list[str], groups: list[tuple[str, str]], sort_keys: list[str]):
        super().__init__(data)
        self.fields["period"].choices = [(label, label) for label in periods]
        self.fields["group"].choices = [("all", _("All participating States")), *groups]
        self.fields["sort"].choices = [(prefix + key, prefix + key) for prefix in ("", "-") for key in sort_keys]


class CommitmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    dimension = forms.ModelChoiceField(
        label=_("Dimension"),
        queryset=Dimension.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All dimensions"),
        error_messages={"invalid_choice": _("Choose one of the three dimensions")},
    )
    document = forms.ModelChoiceField(
        label=_("Document"),
        queryset=SourceDocument.objects.order_by("adopted_on", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("All documents"),
        error_messages={"invalid_choice": _("Choose one of the documents listed")},
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
        error_messages={"invalid_choice": _("Choose one of the themes listed")},
    )
