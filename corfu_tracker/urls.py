from django.contrib import admin
from django.urls import include, path

from .login_throttle import ThrottledAdminAuthenticationForm

admin.site.site_header = "Corfu Tracker"
admin.site.site_title = "Corfu Tracker admin"
admin.site.index_title = "OSCE commitments, reports and scorecards"
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("corfu_tracker.api.urls")),
    path("subscriptions/", include("scorecards.urls")),
    path("", include("public_site.urls")),
]

handler404 = "corfu_tracker.api.errors.not_found"
