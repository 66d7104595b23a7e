"""What every public page's base template shows: the method version and the synthetic data banner."""

from scorecards.models import DEFAULT_METHOD

from . import selectors


def site(request):
    def synthetic_demo_data() -> bool:
        # Called only where the base template shows the banner (not in the admin); a view that
        # already read the data version passes it on, saving a query.
        return selectors.synthetic_reports_exist(version=getattr(request, "data_version", None))

    return {"site_method_version": int(DEFAULT_METHOD), "synthetic_demo_data": synthetic_demo_data}
