"""Admin for reports: where data-entry staff and reviewers work.

Every write goes through `commitments.services`, so the admin keeps exactly the
rules the API and the import keep.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin

from corfu_tracker.admin_history import HistoryAdmin
from corfu_tracker.spreadsheets import SpreadsheetSafeResource

from . import services
from .imports import ImportFileError, dataset_from_file, import_job_create, import_runs_as_job, reports_import
from .models import Commitment, Report, ReportStatus


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {', '.join(messages)}" for field, messages in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


class ReviewStepsMixin:
    """Runs a review step (submit, verify, ...) on each selected row; refusals are listed, not raised."""

    review_noun = "report"

    def _run(self, request, queryset, verb: str, step) -> None:
        done, refused = 0, []
        for row in queryset:
            try:
                step(row)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"#{row.pk}: {_error_text(exc)}")
        if done:
            self.message_user(request, f"{verb.capitalize()} {done} {self.review_noun}(s).", messages.SUCCESS)
        for message in refused:
            self.message_user(request, f"Not {verb}: {message}", messages.ERROR)


class ReportActionForm(ActionForm):
    reason = forms.CharField(required=False, label="Reason (reject/retract)", max_length=1000)


class AwaitingMyReviewFilter(admin.SimpleListFilter):
    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", "Awaiting my review"), ("my-drafts", "My drafts")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.awaiting_review_by(request.user)
        if self.value() == "my-drafts":
            return queryset.filter(status=ReportStatus.DRAFT, created_by=request.user)
        return queryset


class ReportExportResource(SpreadsheetSafeResource):
    class Meta:
        model = Report
        fields = [
            "id",
            "state",
            "commitment__code",
            "kind",
            "level",
            "severity",
            "observed_on",
            "source",
            "source_url",
            "citation",
            "summary",
            "status",
        ]


class ReportImportForm(forms.Form):
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX with the columns listed below.")
    dry_run = forms.BooleanField(required=False, initial=True, label="Dry run: check and preview, save nothing")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:,.1f} MB; at most {limit / 1_000_000:,.0f} MB can be imported. "
                "Split it into smaller files."
            )
        return upload


class ReportAdmin(ReviewStepsMixin, ExportMixin, HistoryAdmin):
    resource_classes = [ReportExportResource]
    # ExportMixin wraps `change_list_template` in its own template, which extends it back:
    # a template that already extends the export one must be given as this attribute.
    import_export_change_list_template = "admin/commitments/report/change_list.html"
    list_display = [
        "id",
        "state",
        "commitment_code",
        "dimension",
        "kind",
        "grade",
        "observed_on",
        "source",
        "status",
        "submitted_by",
        "reviewed_by",
    ]
    list_filter = [
        AwaitingMyReviewFilter,
        "status",
        "kind",
        "commitment__dimension",
        "source",
        ("state", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["state", "commitment__dimension", "submitted_by", "reviewed_by"]
    search_fields = ["summary", "commitment__code", "state__code", "state__name", "citation"]
    date_hierarchy = "observed_on"
    autocomplete_fields = ["state", "commitment", "corrects"]
    action_form = ReportActionForm
    actions = ["submit_reports", "verify_reports", "reject_reports", "retract_reports"]
    show_full_result_count = False
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["state", "commitment", "commitment_text", "kind", "level", "severity", "observed_on"]}),
        ("Content", {"fields": ["summary", "source", "source_url", "citation", "corrects"]}),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "created_by",
                    "submitted_by",
                    "submitted_at",
                    "reviewed_by",
                    "reviewed_at",
                    "rejection_reason",
                    "retracted_by",
                    "retracted_at",
                    "retraction_reason",
                ]
            },
        ),
    ]
    workflow_fields = [
        "status",
        "created_by",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "retracted_by",
        "retracted_at",
        "retraction_reason",
    ]

    class Media:
        js = ["commitments/report_form.js"]

    @admin.display(description="commitment", ordering="commitment__code")
    def commitment_code(self, obj):
        return obj.commitment.code

    @admin.display(description="dimension", ordering="commitment__dimension")
    def dimension(self, obj):
        return obj.commitment.dimension

    @admin.display(description="level / severity")
    def grade(self, obj):
        return obj.grade

    @admin.display(description="commitment text")
    def commitment_text(self, obj):
        text = ""
        if obj and obj.commitment_id:
            text = f"{obj.commitment.title}: {obj.commitment.summary}"
        return format_html('<div id="commitment-text" style="max-width:50em">{}</div>', text)

    # --- who sees and changes what -------------------------------------------------

    def _is_reviewer(self, request) -> bool:
        return request.user.has_perm("commitments.review_report")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or self._is_reviewer(request):
            return qs.visible_to(request.user)
        return qs.filter(created_by=request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["commitment_text", *self.workflow_fields]
        if obj is not None and not self._can_edit(request, obj):
            readonly += [f.name for f in Report._meta.fields if f.name not in readonly and f.name != "id"]
        return readonly

    def _can_edit(self, request, obj) -> bool:
        return obj.status == ReportStatus.DRAFT and obj.created_by_id == request.user.pk

    def has_change_permission(self, request, obj=None):
        # Only the author's draft can be changed; every other report is view-only (the workflow
        # actions move it on). Without this, POSTing its change form reached the service and a 500.
        if obj is not None and not self._can_edit(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # reports are retracted, never deleted

    # --- history: what the change view shows, never more; no revert ---------------------

    def _visible_or_404(self, request, object_id) -> Report:
        # simple_history falls back to the newest history row when the object is not in the admin's
        # queryset: that showed another reporter's draft in full. The change view's queryset decides.
        report = self.get_object(request, unquote(object_id))
        if report is None:
            raise Http404("No such report, or it is not yours to see.")
        return report

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        if request.method == "POST":
            # Reverting would write old content and workflow fields past the services: reports move on
            # only through their workflow steps.
            raise PermissionDenied("Reports cannot be reverted from their history.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.report_update_draft(report=Report.objects.get(pk=obj.pk), user=request.user, **fields)
        else:
            saved = services.report_create_draft(user=request.user, **fields)
        obj.pk = saved.pk
        obj.status = saved.status

    # --- workflow actions ----------------------------------------------------------

    @admin.action(description="Submit selected drafts for review")
    def submit_reports(self, request, queryset):
        self._run(request, queryset, "submitted", lambda r: services.report_submit(report=r, user=request.user))

    @admin.action(description="Verify selected reports", permissions=["review"])
    def verify_reports(self, request, queryset):
        self._run(request, queryset, "verified", lambda r: services.report_verify(report=r, user=request.user))

    @admin.action(description="Reject selected reports (give a reason)", permissions=["review"])
    def reject_reports(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._run(
            request, queryset, "rejected", lambda r: services.report_reject(report=r, user=request.user, reason=reason)
        )

    @admin.action(description="Retract selected reports (give a reason)")
    def retract_reports(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._run(
            request,
            queryset,
            "retracted",
            lambda r: services.report_retract(report=r, user=request.user, reason=reason),
        )

    def has_review_permission(self, request):
        return self._is_reviewer(request)

    # --- extra views: import and commitment text -------------------------------------

    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="commitments_report_import"),
            path(
                "commitment-text/<int:pk>/",
                self.admin_site.admin_view(self.commitment_text_view),
                name="commitments_report_commitment_text",
            ),
        ]
        return extra + super().get_urls()

    def commitment_text_view(self, request, pk):
        if not self.has_view_or_change_permission(request) and not self.has_add_permission(request):
            raise PermissionDenied
        commitment = get_object_or_404(Commitment.objects.select_related("document"), pk=pk)
        return JsonResponse(
            {
                "code": commitment.code,
                "title": commitment.title,
                "summary": commitment.summary,
                "reference": f"{commitment.document.code}, {commitment.paragraph}",
                "in_force_from": commitment.in_force_from,
                "in_force_until": commitment.in_force_until,
            }
        )

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        result = None
        file_error = None
        form = ReportImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = form.cleaned_data["dry_run"]
            content = upload.read()
            try:
                dataset = dataset_from_file(content=content, filename=upload.name)
            except ImportFileError as exc:
                file_error = str(exc)
            else:
                if import_runs_as_job(dataset=dataset):
                    # Too large for the web request: a Celery job, with its progress in the admin.
                    job = import_job_create(
                        content=content,
                        filename=upload.name,
                        user=request.user,
                        dry_run=dry_run,
                        rows_total=dataset.height,
                    )
                    self.message_user(
                        request,
                        f"{dataset.height:,} rows: the {'check' if dry_run else 'import'} runs in the background "
                        f"as import job #{job.pk}; follow it under Import jobs.",
                        messages.INFO,
                    )
                    return HttpResponseRedirect(reverse("admin:commitments_importjob_change", args=[job.pk]))
                result = reports_import(dataset=dataset, user=request.user, dry_run=dry_run)
            if result and result.ok and not result.dry_run:
                self.message_user(request, f"Imported {result.created} report(s) as submitted.", messages.SUCCESS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import reports",
            "form": form,
            "result": result,
            "file_error": file_error,
            "columns": "state, commitment, kind, level_or_severity, observed_on, source, summary "
            "(optional: source_url, citation)",
            "changelist_url": reverse("admin:commitments_report_changelist"),
        }
        return TemplateResponse(request, "admin/commitments/report/import.html", context)
