from django.contrib import admin

from core.admin import ConfidentialContentAdminMixin
from notifications.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ConfidentialContentAdminMixin, admin.ModelAdmin):
    """The record of each reminder email (sent at most once): read-only. Deleting a row lets
    the reminder job send that reminder again."""

    list_display = ("kind", "email", "subject", "claimed_at", "sent_at")
    list_filter = ("kind", "sent_at")
    search_fields = ("email", "subject", "key")
    date_hierarchy = "claimed_at"
    readonly_fields = ("kind", "key", "recipient", "email", "subject", "claimed_at", "sent_at")
    list_per_page = 50

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
