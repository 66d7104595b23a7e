"""What every public page's base template shows: the method version and the synthetic data banner."""

from scorecards.models import DEFAULT_METHOD

from . import selectors


def site(request):
    # A callable: templates call it only where they show the banner (not in the admin).
    return {"site_method_version": int(DEFAULT_METHOD), "synthetic_demo_data": selectors.synthetic_reports_exist}
