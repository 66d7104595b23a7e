from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = "Recommendations"

    # Read by corfu_tracker.pending_work: what waits for a user, on the admin index.
    admin_pending_work = "recommendations.admin.pending_work"

    # Loaded by `manage.py load_reference` after the catalogue.
    reference_fixtures = ["institutions", "recommendations"]

    # Read by commitments.staff_groups.all_staff_groups(): what each staff group may do here.
    staff_group_permissions = {
        "Reporters": [
            ("recommendations", "view_institution"),
            ("recommendations", "view_recommendation"),
            ("recommendations", "view_assessment"),
            ("recommendations", "add_assessment"),
            ("recommendations", "change_assessment"),
        ],
        "Reviewers": [
            ("recommendations", "view_institution"),
            ("recommendations", "view_recommendation"),
            ("recommendations", "view_assessment"),
            ("recommendations", "add_assessment"),
            ("recommendations", "change_assessment"),
            ("recommendations", "review_assessment"),
        ],
        "Catalogue editors": [
            ("recommendations", "view_institution"),
            ("recommendations", "add_institution"),
            ("recommendations", "change_institution"),
            ("recommendations", "view_recommendation"),
            ("recommendations", "add_recommendation"),
            ("recommendations", "change_recommendation"),
        ],
    }
