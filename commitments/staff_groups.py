"""The staff groups and their permissions. Used by a data migration and `manage.py sync_staff_groups`."""

READ_CATALOGUE = [
    ("states", "view_state"),
    ("states", "view_stategroup"),
    ("states", "view_membership"),
    ("commitments", "view_dimension"),
    ("commitments", "view_theme"),
    ("commitments", "view_sourcedocument"),
    ("commitments", "view_commitment"),
    ("commitments", "view_commitmentrelation"),
]
ENTER_REPORTS = [
    ("commitments", "view_report"),
    ("commitments", "add_report"),
    ("commitments", "change_report"),
]
EDIT_CATALOGUE = [
    (app, f"{verb}_{model}")
    for app, model in [
        ("commitments", "dimension"),
        ("commitments", "theme"),
        ("commitments", "sourcedocument"),
        ("commitments", "commitment"),
        ("commitments", "commitmentrelation"),
        ("states", "state"),
        ("states", "stategroup"),
        ("states", "membership"),
    ]
    for verb in ("add", "change")
]

STAFF_GROUPS = {
    "Reporters": READ_CATALOGUE + ENTER_REPORTS,
    "Reviewers": READ_CATALOGUE + ENTER_REPORTS + [("commitments", "review_report")],
    "Catalogue editors": READ_CATALOGUE + EDIT_CATALOGUE,
}


# Permissions of models that a later migration creates: an earlier data migration skips them.
LATER_MODELS = {"commitmentrelation"}


def sync_staff_groups(*, group_model, permission_model) -> None:
    """Create the groups if missing and give each exactly its permissions."""
    for name, codenames in STAFF_GROUPS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for app_label, codename in codenames:
            found = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None and codename.split("_", 1)[1] in LATER_MODELS:
                continue
            if found is None:
                raise permission_model.DoesNotExist(f"{app_label}.{codename}")
            permissions.append(found)
        group.permissions.set(permissions)
