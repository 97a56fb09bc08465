"""A new password ends the account's API tokens, as it ends its other sessions (Django checks
the password's hash on every session request; a token holds no such hash)."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import User
from api.services import api_tokens_revoke_all


@receiver(pre_save, sender=User, dispatch_uid="api_password_change_seen")
def _password_change_seen(sender, instance: User, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return  # a new account, or a save of other fields (the last sign-in time, say)
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._api_password_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=User, dispatch_uid="api_tokens_end_with_the_password")
def _tokens_end_with_the_password(sender, instance: User, **kwargs) -> None:
    if getattr(instance, "_api_password_changed", False):
        instance._api_password_changed = False
        api_tokens_revoke_all(user=instance)
