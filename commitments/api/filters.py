from django_filters import rest_framework as filters

from states.filters import StateFilter

from ..models import (
    Commitment,
    Dimension,
    Report,
    ReportKind,
    ReportSource,
    ReportStatus,
    SourceDocument,
    Theme,
)


class CommitmentFilter(filters.FilterSet):
    dimension = filters.ModelChoiceFilter(to_field_name="slug", queryset=Dimension.objects.all())
    document = filters.ModelChoiceFilter(to_field_name="code", queryset=SourceDocument.objects.all())
    theme = filters.ModelChoiceFilter(field_name="themes", to_field_name="slug", queryset=Theme.objects.all())
    in_force_on = filters.DateFilter(method="filter_in_force_on", help_text="Commitments in force on this date.")

    class Meta:
        model = Commitment
        fields = ["dimension", "document", "theme", "in_force_on", "non_derogable"]

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force_on(value)


class SourceDocumentFilter(filters.FilterSet):
    dimension = filters.ModelChoiceFilter(
        field_name="dimensions", to_field_name="slug", queryset=Dimension.objects.all()
    )
    adopted_after = filters.DateFilter(field_name="adopted_on", lookup_expr="gte")
    adopted_before = filters.DateFilter(field_name="adopted_on", lookup_expr="lte")

    class Meta:
        model = SourceDocument
        fields = ["dimension", "adopted_after", "adopted_before"]


class ReportFilter(filters.FilterSet):
    state = StateFilter(field_name="state", help_text=StateFilter.HELP)
    commitment = filters.ModelChoiceFilter(to_field_name="code", queryset=Commitment.objects.all())
    dimension = filters.ModelChoiceFilter(
        field_name="commitment__dimension", to_field_name="slug", queryset=Dimension.objects.all()
    )
    # One theme slug matches each commitment at most once, so the join repeats no report.
    theme = filters.ModelChoiceFilter(
        field_name="commitment__themes", to_field_name="slug", queryset=Theme.objects.all()
    )
    kind = filters.ChoiceFilter(choices=ReportKind.choices)
    status = filters.ChoiceFilter(choices=ReportStatus.choices)
    source = filters.ChoiceFilter(choices=ReportSource.choices)
    observed_after = filters.DateFilter(field_name="observed_on", lookup_expr="gte", help_text="On or after.")
    observed_before = filters.DateFilter(field_name="observed_on", lookup_expr="lte", help_text="On or before.")

    class Meta:
        model = Report
        fields = ["state", "commitment", "dimension", "theme", "kind", "status", "source"]
