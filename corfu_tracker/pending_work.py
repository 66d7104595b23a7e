"""What waits for the signed-in user, listed on the admin index ("3 reports await your review").

Each app contributes its own items: an app config may name, in `admin_pending_work`, a function
`(*, user) -> list[PendingWork]` (a dotted path). So `commitments` never imports the apps above it,
and this module imports none of them. The admin index template loads this module as the
`pending_work` template library (settings.TEMPLATES).
"""

from dataclasses import dataclass

from django import template
from django.apps import apps
from django.utils.module_loading import import_string

register = template.Library()


@dataclass(frozen=True)
class PendingWork:
    count: int
    text: str  # "3 reports await your review"
    url: str  # the filtered change list

    @classmethod
    def counted(cls, count: int, *, one: str, many: str, url: str) -> "PendingWork":
        """`one`/`many` are texts with `{n}`: "{n} report awaits your review", "{n} reports await ..."."""
        return cls(count=count, text=(one if count == 1 else many).format(n=f"{count:,}"), url=url)


def pending_work_for(user) -> list[PendingWork]:
    """Every app's pending work for `user`, in app order, leaving out what is zero."""
    items: list[PendingWork] = []
    for config in apps.get_app_configs():
        if path := getattr(config, "admin_pending_work", None):
            items += import_string(path)(user=user)
    return [item for item in items if item.count]


@register.simple_tag(takes_context=True)
def pending_work(context) -> list[PendingWork]:
    return pending_work_for(context["request"].user)
