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
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from import_export.admin import ExportMixin
from import_export.fields import Field
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from corfu_tracker import review
from corfu_tracker.pending_work import PendingWork
from corfu_tracker.spreadsheets import SpreadsheetSafeResource, xlsx_text
from corfu_tracker.workflow import StaleVersion

from . import selectors, services
from .imports import (
    IMPORT_COLUMN_NAMES,
    IMPORT_COLUMNS,
    TEMPLATE_CONTENT_TYPES,
    ImportFileError,
    dataset_from_file,
    import_job_create,
    import_runs_as_job,
    import_template,
    report_import_row,
    reports_import,
)
from .models import Commitment, Report, ReportStatus
from .models.reports import staff_source_choices


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {', '.join(messages)}" for field, messages in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


STEP_PAST = {"submit": "submitted", "verify": "verified", "reject": "rejected", "retract": "retracted"}
STEP_BUTTONS = {"submit": "Submit for review", "verify": "Verify", "reject": "Reject", "retract": "Retract"}
STEPS_WITH_REASON = {"reject", "retract"}
STEP_HELP = {
    "submit": "Send this draft to a reviewer; it can no longer be edited.",
    "verify": "Publish it: verified entries count in the scores.",
    "reject": "Send it back to its author with the reason.",
    "retract": "Withdraw it, with the reason; nothing is deleted, the history keeps it.",
}


class ReviewStepsMixin:
    """The review steps (submit, verify, reject, retract) as list actions and as buttons on the change page.

    List actions run a step on each selected row; refusals are listed, not raised. An admin that sets
    `review_kind` and implements `review_step` also gets the buttons: each POSTs to its own URL, and only
    the steps `review.steps_open_to` allows this user on this row are shown.
    """

    review_noun = "report"
    review_kind: review.Reviewed | None = None

    def review_step(self, step: str, obj, user, reason: str):
        """Run one step through the app's service (which locks the row and re-checks everything)."""
        raise NotImplementedError

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

    def _run_step(self, request, queryset, step: str) -> None:
        reason = request.POST.get("reason", "")
        self._run(request, queryset, STEP_PAST[step], lambda row: self.review_step(step, row, request.user, reason))

    # --- the buttons on the change page -------------------------------------------------

    def _review_step_url_name(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_review_step"

    def get_urls(self):
        if self.review_kind is None:
            return super().get_urls()
        step_url = path(
            "<path:object_id>/review/<str:step>/",
            self.admin_site.admin_view(self.review_step_view),
            name=self._review_step_url_name(),
        )
        return [step_url, *super().get_urls()]

    def review_buttons(self, request, obj) -> list[dict]:
        return [
            {
                "step": step,
                "label": STEP_BUTTONS[step],
                "needs_reason": step in STEPS_WITH_REASON,
                "help": STEP_HELP[step],
                "url": reverse(f"admin:{self._review_step_url_name()}", args=[obj.pk, step]),
            }
            for step in review.steps_open_to(self.review_kind, obj, request.user)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if self.review_kind is not None else None
        if obj is not None:
            extra_context = {**(extra_context or {}), "review_buttons": self.review_buttons(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def review_step_view(self, request, object_id, step):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])  # a link or a prefetch never acts
        obj = self.get_object(request, unquote(object_id))
        if obj is None or step not in STEP_PAST:
            raise Http404(f"No such {self.review_noun}, or it is not yours to see.")
        try:
            self.review_step(step, obj, request.user, request.POST.get("reason", ""))
        except (PermissionDenied, ValidationError, StaleVersion) as exc:
            self.message_user(request, f"Not {STEP_PAST[step]}: {_error_text(exc)}", messages.ERROR)
        else:
            self.message_user(
                request, f"{STEP_PAST[step].capitalize()} {self.review_noun} #{obj.pk}.", messages.SUCCESS
            )
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))


def pending_work(*, user) -> list[PendingWork]:
    """The admin index's lines for reports (corfu_tracker.pending_work)."""
    changelist = reverse("admin:commitments_report_changelist")
    return [
        PendingWork.counted(
            selectors.reports_awaiting_review_count(user=user),
            one="{n} report awaits your review",
            many="{n} reports await your review",
            url=f"{changelist}?{AwaitingMyReviewFilter.parameter_name}=mine",
        ),
        PendingWork.counted(
            selectors.report_drafts_count(user=user),
            one="{n} draft report of yours is not submitted yet",
            many="{n} draft reports of yours are not submitted yet",
            url=f"{changelist}?{AwaitingMyReviewFilter.parameter_name}=my-drafts",
        ),
    ]


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


# The report export writes exactly the import's columns, in its formats, so an exported file imports again
# unchanged (into another database too). Built from IMPORT_COLUMNS: there is no second list to keep in step.
class _ImportFormatResource(SpreadsheetSafeResource):
    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if kwargs.get("force_native_type") and isinstance(value, str):  # XLSX, the one binary format offered
            return xlsx_text(value)
        return value


ReportExportResource = type(
    "ReportExportResource",
    (_ImportFormatResource,),
    {
        "__module__": __name__,
        "__doc__": "Reports in the import's columns and formats (codes, ISO dates), formulas neutralised.",
        **{column.name: Field(column_name=column.name, dehydrate_method=column.value) for column in IMPORT_COLUMNS},
        "Meta": type("Meta", (), {"model": Report, "fields": IMPORT_COLUMN_NAMES, "export_order": IMPORT_COLUMN_NAMES}),
    },
)


class ReportAdminForm(forms.ModelForm):
    """The report form: synthetic demo data is not a source staff can pick (only `seed_demo` writes it)."""

    class Meta:
        model = Report
        fields = services.EDITABLE_FIELDS  # the admin narrows this to its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source" in self.fields:
            # An existing synthetic report keeps its value as the one extra choice.
            self.fields["source"].choices = [("", "---------"), *staff_source_choices(current=self.instance.source)]


class ReportImportForm(forms.Form):
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX with the columns listed above.")
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


REPORT_STEPS = {
    "submit": lambda report, user, reason: services.report_submit(report=report, user=user),
    "verify": lambda report, user, reason: services.report_verify(report=report, user=user),
    "reject": lambda report, user, reason: services.report_reject(report=report, user=user, reason=reason),
    "retract": lambda report, user, reason: services.report_retract(report=report, user=user, reason=reason),
}


class ReportAdmin(ReviewStepsMixin, ExportMixin, SimpleHistoryAdmin):
    form = ReportAdminForm
    change_form_template = "admin/commitments/report/change_form.html"
    review_kind = services.REPORTS
    resource_classes = [ReportExportResource]
    export_formats = [base_formats.CSV, base_formats.XLSX]  # the formats the import reads
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
        js = ["commitments/report_form.js", "commitments/report_kind.js"]

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

    # --- workflow: list actions and the change page's buttons (ReviewStepsMixin) -------------

    def review_step(self, step, obj, user, reason):
        return REPORT_STEPS[step](obj, user, reason)

    # Each action is offered only to the roles that may take its step (`permissions` below).
    @admin.action(description="Submit selected drafts for review", permissions=["submit"])
    def submit_reports(self, request, queryset):
        self._run_step(request, queryset, "submit")

    @admin.action(description="Verify selected reports", permissions=["review"])
    def verify_reports(self, request, queryset):
        self._run_step(request, queryset, "verify")

    @admin.action(description="Reject selected reports (give a reason)", permissions=["review"])
    def reject_reports(self, request, queryset):
        self._run_step(request, queryset, "reject")

    @admin.action(description="Retract selected reports (give a reason)", permissions=["retract"])
    def retract_reports(self, request, queryset):
        self._run_step(request, queryset, "retract")

    def has_submit_permission(self, request):
        return request.user.has_perm(services.REPORTS.submit_perm)

    def has_review_permission(self, request):
        return self._is_reviewer(request)

    def has_retract_permission(self, request):
        return request.user.has_perm(services.REPORTS.write_perm)

    # --- extra views: import and commitment text -------------------------------------

    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="commitments_report_import"),
            path(
                "import/template.<str:file_format>",
                self.admin_site.admin_view(self.import_template_view),
                name="commitments_report_import_template",
            ),
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
                # Said here only: the page shows the imported rows under a heading, not a second message.
                self.message_user(request, f"Imported {result.created} report(s) as submitted.", messages.SUCCESS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import reports",
            "form": form,
            "result": result,
            "file_error": file_error,
            "columns": IMPORT_COLUMNS,
            "preview_rows": [report_import_row(report) for report in result.preview] if result else [],
            "template_formats": list(TEMPLATE_CONTENT_TYPES),
            "changelist_url": reverse("admin:commitments_report_changelist"),
        }
        return TemplateResponse(request, "admin/commitments/report/import.html", context)

    def import_template_view(self, request, file_format):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if file_format not in TEMPLATE_CONTENT_TYPES:
            raise Http404("The template comes as .csv or .xlsx.")
        response = HttpResponse(
            import_template(file_format=file_format), content_type=TEMPLATE_CONTENT_TYPES[file_format]
        )
        response["Content-Disposition"] = f'attachment; filename="reports-import-template.{file_format}"'
        return response
