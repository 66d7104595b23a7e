from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from corfu_tracker.admin_history import HistoryAdmin

from . import selectors, services
from .charts import as_data_uri, series_chart_png
from .models import Alert, AlertDelivery, AlertStatus, EarlyAction


class AlertActionForm(ActionForm):
    outcome = forms.CharField(required=False, label="Outcome (close)", max_length=10000)


class EarlyActionInline(admin.TabularInline):
    model = EarlyAction
    fields = ["kind", "taken_on", "note", "created_by"]
    readonly_fields = ["created_by"]
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # actions are a record: add new ones, never rewrite them

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.status != AlertStatus.CLOSED and super().has_add_permission(request, obj)


class AlertAdmin(HistoryAdmin):
    list_display = [
        "id",
        "state",
        "dimension",
        "severity",
        "status",
        "supported",
        "opened_at",
        "window_end",
        "observed_weight",
        "expected_weight",
        "ratio_display",
        "action_count",
    ]
    list_filter = ["status", "severity", "rule", "supported", "dimension"]
    search_fields = ["state__code", "state__name"]
    list_select_related = ["state", "dimension"]
    inlines = [EarlyActionInline]
    action_form = AlertActionForm
    actions = ["acknowledge", "close"]
    readonly_fields = [
        "state",
        "dimension",
        "rule",
        "severity",
        "status",
        "supported",
        "opened_at",
        "last_triggered_at",
        "series_chart",
        "window_start",
        "window_end",
        "observed_weight",
        "observed_reports",
        "baseline_start",
        "baseline_end",
        "baseline_weight",
        "baseline_reports",
        "baseline_weekly_rate",
        "expected_weight",
        "ratio",
        "p_value",
        "grave_non_derogable",
        "reports_behind",
        "acknowledged_at",
        "acknowledged_by",
        "closed_at",
        "closed_by",
        "outcome",
    ]
    fields = [*readonly_fields, "internal_note"]

    def get_queryset(self, request):
        # Open alerts first, then acknowledged, then closed; newest first within each.
        order = Case(
            When(status=AlertStatus.OPEN, then=Value(0)),
            When(status=AlertStatus.ACKNOWLEDGED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return super().get_queryset(request).annotate(status_order=order).order_by("status_order", "-opened_at")

    def has_add_permission(self, request):
        return False  # alerts are opened by the detector only

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Ratio", ordering="ratio")
    def ratio_display(self, obj):
        return f"{obj.ratio:.1f}×"

    @admin.display(description="Actions")
    def action_count(self, obj):
        return obj.actions.count()

    @admin.display(description="Series (weighted per week; window in red)")
    def series_chart(self, obj):
        series = selectors.weekly_series(state_code=obj.state_id, dimension_id=obj.dimension_id, as_of=obj.window_end)
        png = series_chart_png(series, title=f"{obj.state.name}: {obj.dimension.name}")
        table = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            ((w.isoformat(), f"{v:g}") for w, v in zip(series.weeks, series.weights, strict=True)),
        )
        return format_html(
            '<img src="{}" alt="Weekly weighted violations up to {}; baseline {} a week" width="640" height="240">'
            "<details><summary>The numbers</summary><table><tr><th>week ending</th><th>weighted</th></tr>{}</table>"
            "</details>",
            as_data_uri(png),
            obj.window_end,
            f"{series.baseline_weekly_rate:.2f}",
            table,
        )

    @admin.display(description="Reports behind the alert")
    def reports_behind(self, obj):
        return format_html_join(
            "",
            '<div><a href="{}">#{}</a> {} {} {} ({})</div>',
            (
                (
                    reverse("admin:commitments_report_change", args=[r.pk]),
                    r.pk,
                    r.observed_on,
                    r.commitment.code,
                    r.severity,
                    r.status,
                )
                for r in obj.reports.select_related("commitment").order_by("observed_on")
            ),
        )

    def save_formset(self, request, form, formset, change):
        for action in formset.save(commit=False):
            action.created_by = request.user
            action._history_user = request.user
            action.save()

    def _apply(self, request, queryset, verb, service):
        done = 0
        for alert in queryset:
            try:
                service(alert)
                done += 1
            except ValidationError as exc:
                messages.error(request, f"Alert #{alert.pk}: {' '.join(exc.messages)}")
        if done:
            messages.success(request, f"{done} alert(s) {verb}.")

    @admin.action(description="Acknowledge selected alerts", permissions=["change"])
    def acknowledge(self, request, queryset):
        self._apply(request, queryset, "acknowledged", lambda a: services.alert_acknowledge(alert=a, user=request.user))

    @admin.action(description="Close selected alerts (give the outcome)", permissions=["change"])
    def close(self, request, queryset):
        outcome = request.POST.get("outcome", "")
        self._apply(
            request, queryset, "closed", lambda a: services.alert_close(alert=a, user=request.user, outcome=outcome)
        )


admin.site.register(Alert, AlertAdmin)


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ["alert", "email", "recipient_kind", "status", "attempts", "claimed_at", "sent_at"]
    list_filter = ["status", "recipient_kind"]
    readonly_fields = [field.name for field in AlertDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
