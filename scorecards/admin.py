from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from commitments.models import Dimension

from . import subscriptions, tasks
from .models import DeliveryStatus, DigestDelivery, GroupScorecard, Period, Scorecard, Subscription
from .models.subscriptions import sending_lease


class DimensionFilter(admin.SimpleListFilter):
    """The three dimensions and the overall rows, labelled as such (Django would show the overall row as "-")."""

    title = "dimension"
    parameter_name = "dimension"
    OVERALL = "overall"

    def lookups(self, request, model_admin):
        return [*((d.slug, d.name) for d in Dimension.objects.all()), (self.OVERALL, "Overall")]

    def queryset(self, request, queryset):
        if self.value() == self.OVERALL:
            return queryset.filter(dimension__isnull=True)
        if self.value():
            return queryset.filter(dimension__slug=self.value())
        return queryset


class PeriodFilter(admin.SimpleListFilter):
    """Periods newest first, by their labels (2025-Q3, 2025)."""

    title = "period"
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [(label, label) for label in Period.objects.order_by("-end", "start").values_list("label", flat=True)]

    def queryset(self, request, queryset):
        return queryset.filter(period__label=self.value()) if self.value() else queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    """Scorecards are computed (compute_scorecards, the nightly job, the API's recompute), never edited by hand.

    `shown_as` names a display method for a field whose empty value means something (an empty
    dimension is the overall row): the read-only page shows the method's text instead of Django's "-".
    """

    shown_as: dict[str, str] = {}

    def get_fields(self, request, obj=None):
        # dict.fromkeys: the display method is also a read-only field, listed at the end; keep it in place.
        return list(dict.fromkeys(self.shown_as.get(name, name) for name in super().get_fields(request, obj)))

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.shown_as.values()]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "start", "end", "scorecard_count"]
    list_filter = ["kind"]
    search_fields = ["label"]
    date_hierarchy = "start"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(scorecard_count=Count("scorecard"))

    @admin.display(description="State scorecards", ordering="scorecard_count")
    def scorecard_count(self, obj):
        return obj.scorecard_count


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = [
        "period",
        "state",
        "dimension_display",
        "score",
        "score_low",
        "score_high",
        "evidence",
        "trend",
        "coverage_percent",
        "rank",
        "report_count",
        "violation_count",
        "method_version",
        "computed_at",
    ]
    list_filter = ["period__kind", PeriodFilter, DimensionFilter, "state", "method_version", "evidence"]
    shown_as = {"dimension": "dimension_display"}
    search_fields = ["state__code", "state__name", "period__label"]
    list_select_related = ["period", "state", "dimension"]
    ordering = ["-period__start", "state__name", "dimension__position"]
    show_full_result_count = False  # the table grows by 456 rows per period (two methods): skip the second COUNT

    @admin.display(description="Dimension", ordering="dimension__position")
    def dimension_display(self, obj):
        return obj.dimension or "Overall"

    @admin.display(description="Coverage", ordering="coverage")
    def coverage_percent(self, obj):
        return f"{obj.coverage * 100:.0f}%"


@admin.register(GroupScorecard)
class GroupScorecardAdmin(ReadOnlyAdmin):
    list_display = [
        "period",
        "group_display",
        "dimension_display",
        "score",
        "score_low",
        "score_high",
        "evidence",
        "trend",
        "scored_member_count",
        "member_count",
        "method_version",
        "computed_at",
    ]
    list_filter = ["period__kind", PeriodFilter, DimensionFilter, "group", "method_version"]
    shown_as = {"group": "group_display", "dimension": "dimension_display"}
    search_fields = ["group__slug", "group__name", "period__label"]
    list_select_related = ["period", "group", "dimension"]
    ordering = ["-period__start", "group__name", "dimension__position"]

    @admin.display(description="Group", ordering="group__name")
    def group_display(self, obj):
        return obj.group or "All participating States"

    @admin.display(description="Dimension", ordering="dimension__position")
    def dimension_display(self, obj):
        return obj.dimension or "Overall"


class SubscriptionStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("pending", "Awaiting confirmation"), ("unsubscribed", "Unsubscribed")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "pending":
            return queryset.filter(confirmed=False, unsubscribed_at__isnull=True)
        if self.value() == "unsubscribed":
            return queryset.filter(unsubscribed_at__isnull=False)
        return queryset


class DigestDeliveryInline(admin.TabularInline):
    model = DigestDelivery
    extra = 0
    can_delete = False
    fields = ["period_label", "status", "attempts", "claimed_at", "sent_at", "error"]
    readonly_fields = fields
    ordering = ["-claimed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "status_label", "state_list", "dimension_list", "confirmed_at", "created_at"]
    list_filter = [SubscriptionStatusFilter, "frequency", "dimensions"]
    search_fields = ["email", "states__code", "states__name"]
    filter_horizontal = ["states", "dimensions"]
    readonly_fields = ["unsubscribe_token", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["email", "frequency", "states", "dimensions"]}),
        ("Status", {"fields": ["confirmed", "confirmed_at", "unsubscribed_at", "unsubscribe_token"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [DigestDeliveryInline]
    actions = ["send_confirmation", "unsubscribe_selected"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("states", "dimensions")

    @admin.display(description="Status")
    def status_label(self, obj):
        return obj.status_label

    @admin.display(description="States")
    def state_list(self, obj):
        codes = [state.code for state in obj.states.all()]
        return ", ".join(codes) if codes else "All"

    @admin.display(description="Dimensions")
    def dimension_list(self, obj):
        names = [dimension.name for dimension in obj.dimensions.all()]
        return ", ".join(names) if names else "All"

    def save_model(self, request, obj, form, change):
        if obj.confirmed and not obj.confirmed_at:
            obj.confirmed_at = timezone.now()
        if not obj.confirmed:
            obj.confirmed_at = None
        super().save_model(request, obj, form, change)

    @admin.action(description="Send the confirmation email to those awaiting confirmation")
    def send_confirmation(self, request, queryset):
        pending = list(queryset.filter(confirmed=False, unsubscribed_at__isnull=True).values_list("pk", flat=True))
        for subscription_id in pending:
            transaction.on_commit(partial(tasks.send_confirmation.delay, subscription_id), robust=True)
        self.message_user(request, f"Queued {len(pending)} confirmation email(s).", messages.SUCCESS)

    @admin.action(description="Unsubscribe selected subscriptions")
    def unsubscribe_selected(self, request, queryset):
        count = queryset.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now())
        self.message_user(request, f"Unsubscribed {count} subscription(s).", messages.SUCCESS)


class DeliveryStateFilter(admin.SimpleListFilter):
    title = "delivery status"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("sent", "Sent"),
            ("sending", "Sending (live claim)"),
            ("stuck", "Stuck: sending for longer than the lease"),
            ("failed", "Failed"),
            ("escalated", "Raised to operators: out of attempts"),
        ]

    def queryset(self, request, queryset):
        stale = timezone.now() - sending_lease()
        if self.value() == "stuck":
            return queryset.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
        if self.value() == "escalated":
            return queryset.filter(escalated_at__isnull=False).exclude(status=DeliveryStatus.SENT)
        if self.value() == "sending":
            return queryset.filter(status=DeliveryStatus.SENDING, claimed_at__gte=stale)
        if self.value() in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
            return queryset.filter(status=self.value())
        return queryset


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "period_label",
        "subscription",
        "status_display",
        "attempts",
        "claimed_at",
        "sent_at",
        "short_error",
    ]
    list_filter = [DeliveryStateFilter, "period_label"]
    search_fields = ["subscription__email", "period_label"]
    list_select_related = ["subscription"]
    readonly_fields = [
        "subscription",
        "period_label",
        "period",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "message_id",
        "escalated_at",
        "error",
    ]
    actions = ["release_for_resending"]
    date_hierarchy = "claimed_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        if obj.is_escalated:
            return "raised to operators (out of attempts)"
        return "stuck (sending beyond lease)" if obj.is_stuck else obj.get_status_display()

    @admin.display(description="Last error")
    def short_error(self, obj):
        return (obj.error[:80] + "…") if len(obj.error) > 80 else obj.error

    @admin.action(description="Release failed or stuck deliveries and send them again")
    def release_for_resending(self, request, queryset):
        """A stuck row may have gone out before its worker died: releasing it risks one duplicate, knowingly."""
        released = subscriptions.deliveries_release(queryset=queryset)
        for subscription_id, period_label in released:
            # robust: eagerly (no broker) a failing SMTP server is logged, not a 500 in the admin.
            transaction.on_commit(partial(tasks.send_digest.delay, subscription_id, period_label), robust=True)
        self.message_user(
            request,
            f"Released {len(released)} delivery(ies) for resending; sent ones and live claims were left alone.",
            messages.SUCCESS,
        )
