from django.contrib import admin
from django.utils.html import format_html_join

from corfu_tracker.admin_history import HistoryAdmin

from . import services
from .admin_reports import ReportAdmin
from .models import Commitment, CommitmentRelation, Dimension, ImportJob, Report, SourceDocument, Theme

admin.site.register(Report, ReportAdmin)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Large imports run by a worker: status and progress, read-only. Staff see their own jobs."""

    list_display = ["id", "filename", "dry_run", "status", "progress", "created_count", "created_by", "created_at"]
    list_filter = ["status", "dry_run"]
    fields = [
        "filename",
        "dry_run",
        "status",
        "progress",
        "created_count",
        "problems",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields

    @admin.display(description="rows checked")
    def progress(self, obj):
        return f"{obj.rows_done:,} of {obj.rows_total:,}"

    @admin.display(description="problems")
    def problems(self, obj):
        return format_html_join("\n", "<div>{}</div>", ((line,) for line in obj.errors)) or "-"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("created_by")
        return queryset if request.user.is_superuser else queryset.filter(created_by=request.user)

    def has_add_permission(self, request):
        return False  # jobs are made by the report import

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SourceDocument)
class SourceDocumentAdmin(HistoryAdmin):
    list_display = ["code", "symbol", "title", "adopted_on", "place", "has_numbered_paragraphs"]
    list_filter = ["dimensions", "place", "has_numbered_paragraphs"]
    search_fields = ["code", "symbol", "title", "place"]
    date_hierarchy = "adopted_on"
    filter_horizontal = ["dimensions"]
    fieldsets = [
        (None, {"fields": ["code", "title", "symbol", "adopted_on", "place", "dimensions"]}),
        ("Text", {"fields": ["url", "text_source", "has_numbered_paragraphs", "in_force_note"]}),
    ]


class RelationOutInline(admin.TabularInline):
    """What this commitment reaffirms, elaborates or supersedes."""

    model = CommitmentRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = "lineage: this commitment ..."
    verbose_name_plural = "lineage: this commitment reaffirms, elaborates or supersedes"


class RelationInInline(admin.TabularInline):
    """Later commitments that point back at this one; edit them from the later commitment."""

    model = CommitmentRelation
    fk_name = "target"
    extra = 0
    fields = ["source", "kind"]
    readonly_fields = ["source", "kind"]
    can_delete = False
    verbose_name = "later commitment"
    verbose_name_plural = "lineage: later commitments that reaffirm, elaborate or supersede this one"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(HistoryAdmin):
    list_display = ["code", "title", "dimension", "document", "paragraph", "weight", "in_force_from", "in_force_until"]
    list_filter = ["dimension", "non_derogable", "themes", "document"]
    search_fields = ["code", "title", "summary", "paragraph"]
    autocomplete_fields = ["document", "dimension", "themes"]
    list_select_related = ["dimension", "document"]
    fieldsets = [
        (None, {"fields": ["code", "document", "paragraph", "title", "summary"]}),
        ("Classification", {"fields": ["dimension", "themes", "weight", "weight_reason", "non_derogable"]}),
        ("In force", {"fields": ["in_force_from", "in_force_until"]}),
    ]
    inlines = [RelationOutInline, RelationInInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is CommitmentRelation and formset.fk.name == "source":
            for relation in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
                services.commitment_supersession_apply(relation=relation, user=request.user)
