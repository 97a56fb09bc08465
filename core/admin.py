from django.conf import settings
from django.contrib import admin

from core.models import Heartbeat, JobRun
from core.selectors import broker_unreadable_messages, heartbeat_status


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    """Written by the Celery beat job only: administrators may look, not touch."""

    list_display = ("name", "last_seen", "worker", "beats")
    search_fields = ("name", "worker")
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(HeartbeatAdmin):
    """The last run of each periodic job (the schedules themselves are under Periodic tasks)."""

    list_display = ("name", "runs", "last_started_at", "last_finished_at", "last_result")
    search_fields = ("name",)

    def changelist_view(self, request, extra_context=None):
        # Above the list (admin/core/jobrun/change_list.html): the worker's last heartbeat,
        # with a warning when it is missing or older than HEARTBEAT_STALE_AFTER_SECONDS.
        extra_context = {
            **(extra_context or {}),
            "heartbeat": heartbeat_status(),
            "unreadable_job_messages": broker_unreadable_messages(),
            "unreadable_job_folder": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(
                "unreadable_folder"
            ),
        }
        return super().changelist_view(request, extra_context)


class ConfidentialContentAdminMixin:
    """Coaching content (notes, evidence, scripts, reflections, briefs) in the admin is for
    superusers (system operators) only. Staff administrators manage schools, people, roles,
    the move library and time, not what was said in coaching: coaching is non-evaluative."""

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_active and request.user.is_superuser
