from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "early_warning"
    verbose_name = "Early warning"

    def ready(self):
        from . import receivers  # noqa: F401
