"""The public site: pages a person reads. It reads the other apps and writes nothing but subscriptions."""

from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views


class FaviconRedirect(RedirectView):
    # Resolved per request: in production the hashed name exists only after collectstatic, not at import.
    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("public/favicon.svg")


app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("states/<str:code>/", views.state_detail, name="state"),
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/<str:code>/", views.commitment_detail, name="commitment"),
    path("methodology/", views.methodology, name="methodology"),
    path("about/", views.about, name="about"),
    path("subscribe/", views.subscribe, name="subscribe"),
    # Browsers ask for /favicon.ico on their own; answer with the site's icon, not a 404.
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
]
