from django.apps import AppConfig


class ClipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clips"
    verbose_name = "Video clips"

    def ready(self) -> None:
        from clips import receivers  # noqa: F401  (connects the receivers)
