from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are created through the API and run by workers."""

    list_display = ["id", "resource", "format", "status", "requested_by", "row_count", "created_at", "expires_at"]
    list_filter = ["status", "resource", "format"]
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
