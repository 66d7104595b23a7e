"""The "Early warning" staff group: who reads and acts on alerts and gets an email for each new one."""

EARLY_WARNING_GROUP = "Early warning"

PERMISSIONS = [
    ("early_warning", "view_alert"),
    ("early_warning", "change_alert"),
    ("early_warning", "view_earlyaction"),
    ("early_warning", "add_earlyaction"),
    ("early_warning", "view_alertdelivery"),
    ("commitments", "view_report"),
    ("states", "view_state"),
    ("commitments", "view_dimension"),
]


def sync_early_warning_group(*, group_model, permission_model):
    group, _ = group_model.objects.get_or_create(name=EARLY_WARNING_GROUP)
    group.permissions.set(
        [
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in PERMISSIONS
        ]
    )
    return group
