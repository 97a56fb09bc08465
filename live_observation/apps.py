from django.apps import AppConfig


class LiveObservationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "live_observation"
    verbose_name = "Live observation"
