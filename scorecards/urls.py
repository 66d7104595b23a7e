"""Plain pages for subscribers (confirm, unsubscribe), outside the API."""

from django.urls import path

from . import pages

app_name = "scorecards"
urlpatterns = [
    path("confirm/<str:token>/", pages.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", pages.unsubscribe, name="unsubscribe"),
]
