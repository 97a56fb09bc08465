from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from api import receivers  # noqa: F401  (connects the signal receivers)
