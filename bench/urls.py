"""The project's URLs plus the bare comparison views, for benchmark runs only."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/bare/reports/", views.bare_reports, name="bench-bare-reports"),
    path("bench/bare/scorecards/", views.bare_scorecards, name="bench-bare-scorecards"),
    path("bench/bare/recommendations/", views.bare_recommendations, name="bench-bare-recommendations"),
    path("", include("corfu_tracker.urls")),
]

handler404 = "corfu_tracker.api.errors.not_found"
