"""Clips in the admin: read-mostly (the teacher deletes their own clip on its page)."""

from django.contrib import admin

from clips import services
from clips.models import Clip, ClipComment
from teachers.admin import DistrictScopedAdminMixin


class ClipCommentInline(admin.TabularInline):
    model = ClipComment
    extra = 0
    can_delete = False
    fields = ("at_seconds", "author", "created_at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Clip)
class ClipAdmin(DistrictScopedAdminMixin, admin.ModelAdmin):
    district_path = "cycle__teacher__school__district_id"
    list_display = (
        "title",
        "cycle",
        "status",
        "duration_seconds",
        "shared_with_principal",
        "created_at",
    )
    list_filter = ("status", "shared_with_principal")
    search_fields = ("title",)
    readonly_fields = [f.name for f in Clip._meta.fields if f.name not in ("id",)]
    inlines = [ClipCommentInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    # Deleting goes through the service: the files go too (clips/receivers.py).
    def delete_model(self, request, obj: Clip) -> None:
        services.clip_delete(clip=obj)

    def delete_queryset(self, request, queryset) -> None:
        for clip in queryset:
            services.clip_delete(clip=clip)
