from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Corfu Tracker"
admin.site.site_title = "Corfu Tracker admin"
admin.site.index_title = "OSCE commitments, reports and scorecards"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("corfu_tracker.api.urls")),
]
