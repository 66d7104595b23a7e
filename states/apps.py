from django.apps import AppConfig


class StatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "states"
