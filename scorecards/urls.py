"""Plain pages for subscribers (confirm, unsubscribe), outside the API."""

app_name = "scorecards"
urlpatterns = []
