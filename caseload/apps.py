from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "caseload"
    verbose_name = "Caseload"
