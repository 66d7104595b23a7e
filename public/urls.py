"""The public site: pages a person reads. It reads the other apps and writes nothing."""

from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("methodology/", views.methodology, name="methodology"),
    path("subscribe/", views.subscribe, name="subscribe"),
    # Browsers ask for /favicon.ico on their own; answer with the site's icon, not a 404.
    path("favicon.ico", RedirectView.as_view(url=static("public/favicon.svg"), permanent=True), name="favicon"),
]
