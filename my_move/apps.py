from django.apps import AppConfig


class MyMoveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "my_move"
    verbose_name = "The teacher's side"
