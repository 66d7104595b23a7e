from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public_site"
    label = "public"
    verbose_name = "Public site"
