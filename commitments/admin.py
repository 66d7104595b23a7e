from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .admin_reports import ReportAdmin
from .models import Commitment, Dimension, Report, SourceDocument, Theme

admin.site.register(Report, ReportAdmin)


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
