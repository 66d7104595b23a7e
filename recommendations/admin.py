"""Admin for institutions, recommendations and assessments: every write goes through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from commitments.admin_reports import AwaitingMyReviewFilter, ReportActionForm, ReviewStepsMixin
from commitments.imports import ImportFileError, dataset_from_file
from corfu_tracker.admin_history import HistoryAdmin
from corfu_tracker.pending_work import PendingWork

from . import selectors, services
from .imports import (
    ASSESSMENT_COLUMNS,
    RECOMMENDATION_COLUMNS,
    assessments_import,
    recommendations_import,
    template_dataset,
)
from .models import (
    Assessment,
    AssessmentStatus,
    Institution,
    Recommendation,
    ReminderDelivery,
    recommendation_commitment_errors,
)


def pending_work(*, user) -> list[PendingWork]:
    """The admin index's line for assessments (corfu_tracker.pending_work)."""
    return [
        PendingWork.counted(
            selectors.assessments_awaiting_review_count(user=user),
            one="{n} assessment awaits your review",
            many="{n} assessments await your review",
            url=f"{reverse('admin:recommendations_assessment_changelist')}?{AwaitingMyReviewFilter.parameter_name}=mine",
        )
    ]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX with a header row.")
    dry_run = forms.BooleanField(required=False, initial=True, label="Dry run (check only, save nothing)")


class ImportViewsMixin:
    """An import page and CSV/XLSX templates for a model admin (the report import's page, reused)."""

    import_columns: dict
    import_function = None
    import_noun = ""

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name=f"{name}_import"),
            path(
                "import/template.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{name}_import_template",
            ),
        ]
        return extra + super().get_urls()

    def import_template_view(self, request, extension):
        if not self.has_add_permission(request) or extension not in ("csv", "xlsx"):
            raise PermissionDenied
        content = template_dataset(self.import_columns).export(extension)
        content_type = (
            "text/csv" if extension == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.model._meta.model_name}s-template.{extension}"'
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        result, file_error = None, None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                dataset = dataset_from_file(content=upload.read(), filename=upload.name)
                result = type(self).import_function(
                    dataset=dataset, user=request.user, dry_run=form.cleaned_data["dry_run"]
                )
            except ImportFileError as exc:
                file_error = str(exc)
            if result and result.ok and not result.dry_run:
                self.message_user(request, f"Imported {result.created} {self.import_noun}(s).", messages.SUCCESS)
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Import {self.import_noun}s",
            "noun": self.import_noun,
            "form": form,
            "result": result,
            "file_error": file_error,
            "required": ", ".join(self.import_columns["required"]),
            "optional": ", ".join(self.import_columns["optional"]),
            "template_csv": reverse(f"admin:{name}_import_template", args=["csv"]),
            "template_xlsx": reverse(f"admin:{name}_import_template", args=["xlsx"]),
            "changelist_url": reverse(f"admin:{name}_changelist"),
        }
        return TemplateResponse(request, "admin/recommendations/import.html", context)


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = [*services.CATALOGUE_FIELDS, "commitments", "themes", "is_synthetic"]

    def clean(self):
        cleaned = super().clean()
        if "commitments" in cleaned or not self.errors.get("commitments"):
            for field, message in recommendation_commitment_errors(
                commitments=cleaned.get("commitments") or [], source_date=cleaned.get("source_date")
            ).items():
                self.add_error(field, message)
        return cleaned


class AssessmentInline(admin.TabularInline):
    """The follow-up so far, read-only: assessments are written and reviewed on their own pages."""

    model = Assessment
    fields = ["link", "rating", "assessed_on", "source", "status"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["assessed_on", "id"]

    @admin.display(description="assessment")
    def link(self, obj):
        url = reverse("admin:recommendations_assessment_change", args=[obj.pk])
        return format_html('<a href="{}">#{}</a>', url, obj.pk)


@admin.register(Recommendation)
class RecommendationAdmin(ImportViewsMixin, HistoryAdmin):
    form = RecommendationForm
    change_list_template = "admin/recommendations/recommendation/change_list.html"
    list_display = ["code", "state", "institution", "source_date", "number", "priority", "is_synthetic"]
    list_filter = ["institution", "priority", "addressee", "is_synthetic", "state"]
    search_fields = ["code", "text", "source_title"]
    autocomplete_fields = ["commitments"]
    filter_horizontal = ["themes"]
    date_hierarchy = "source_date"
    inlines = [AssessmentInline]
    import_columns = RECOMMENDATION_COLUMNS
    import_function = staticmethod(recommendations_import)
    import_noun = "recommendation"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReviewStepsMixin, ImportViewsMixin, HistoryAdmin):
    """Assessments and their review queue (filter "Awaiting my review"), with the report workflow's actions."""

    change_list_template = "admin/recommendations/assessment/change_list.html"
    review_noun = "assessment"
    action_form = ReportActionForm
    actions = ["submit_assessments", "verify_assessments", "reject_assessments", "retract_assessments"]
    list_display = ["id", "recommendation", "rating", "assessed_on", "source", "status"]
    list_filter = [AwaitingMyReviewFilter, "status", "rating", "source"]
    search_fields = ["recommendation__code", "summary"]
    autocomplete_fields = ["recommendation"]
    fields = [
        "recommendation",
        "rating",
        "assessed_on",
        "source",
        "source_url",
        "summary",
        "status",
        "submitted_at",
        "reviewed_at",
        "rejection_reason",
        "retraction_reason",
    ]
    import_columns = ASSESSMENT_COLUMNS
    import_function = staticmethod(assessments_import)
    import_noun = "assessment"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("recommendation")

    def get_readonly_fields(self, request, obj=None):
        workflow = ["status", "submitted_at", "reviewed_at", "rejection_reason", "retraction_reason"]
        if obj is None or (obj.status == AssessmentStatus.DRAFT and obj.created_by_id == request.user.pk):
            return workflow
        return self.fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.ASSESSMENT_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.assessment_update_draft(
                assessment=Assessment.objects.get(pk=obj.pk), user=request.user, **fields
            )
        else:
            saved = services.assessment_create_draft(
                recommendation=form.cleaned_data["recommendation"], user=request.user, **fields
            )
        obj.pk = saved.pk
        obj.status = saved.status

    @admin.action(description="Submit selected drafts for review")
    def submit_assessments(self, request, queryset):
        self._run(request, queryset, "submitted", lambda a: services.assessment_submit(assessment=a, user=request.user))

    @admin.action(description="Verify selected assessments", permissions=["review"])
    def verify_assessments(self, request, queryset):
        self._run(request, queryset, "verified", lambda a: services.assessment_verify(assessment=a, user=request.user))

    @admin.action(description="Reject selected assessments (give a reason)", permissions=["review"])
    def reject_assessments(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._run(
            request,
            queryset,
            "rejected",
            lambda a: services.assessment_reject(assessment=a, user=request.user, reason=reason),
        )

    @admin.action(description="Retract selected assessments (give a reason)")
    def retract_assessments(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._run(
            request,
            queryset,
            "retracted",
            lambda a: services.assessment_retract(assessment=a, user=request.user, reason=reason),
        )

    def has_review_permission(self, request):
        return request.user.has_perm("recommendations.review_assessment")


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    """The record of the weekly reminders: read-only, written by the reminder job."""

    list_display = ["institution", "week", "to", "overdue_count", "status", "attempts", "sent_at"]
    list_filter = ["status", "institution"]
    readonly_fields = [field.name for field in ReminderDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
