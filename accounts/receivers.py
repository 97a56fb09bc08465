"""Any save or deletion of a user gives them a new data version, so the sign-in backend
(accounts.backends) and cached pages (core.page_cache) read them afresh. Connected in
AccountsConfig.ready; signals also catch changes made in the admin."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from core import page_cache


def _user_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        page_cache.data_versions_bump(scopes=[page_cache.user_scope(instance.pk)])


def connect() -> None:
    model = get_user_model()
    post_save.connect(_user_changed, sender=model, dispatch_uid="versions-user-save")
    post_delete.connect(_user_changed, sender=model, dispatch_uid="versions-user-delete")
