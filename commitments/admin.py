from django.contrib import admin
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from .admin_reports import ReportAdmin
from .models import Commitment, Dimension, ImportJob, Report, SourceDocument, Theme

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
class SourceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "adopted_on", "place"]
    list_filter = ["dimensions", "place"]
    search_fields = ["code", "title", "place"]
    date_hierarchy = "adopted_on"
    filter_horizontal = ["dimensions"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "dimension", "document", "paragraph", "weight", "in_force_from", "in_force_until"]
    list_filter = ["dimension", "themes", "document"]
    search_fields = ["code", "title", "summary", "paragraph"]
    autocomplete_fields = ["document", "dimension", "themes"]
    list_select_related = ["dimension", "document"]
    fieldsets = [
        (None, {"fields": ["code", "document", "paragraph", "title", "summary"]}),
        ("Classification", {"fields": ["dimension", "themes", "weight"]}),
        ("In force", {"fields": ["in_force_from", "in_force_until"]}),
    ]
