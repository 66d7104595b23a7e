from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .login_throttle import ThrottledAdminAuthenticationForm

admin.site.site_header = "Corfu Tracker"
admin.site.site_title = "Corfu Tracker admin"
admin.site.index_title = "OSCE commitments, reports and scorecards"
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("corfu_tracker.api.urls")),
    path("subscriptions/", include("scorecards.urls")),
]

handler404 = "corfu_tracker.api.errors.not_found"
