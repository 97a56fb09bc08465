"""The privacy records in the admin, read-only and scoped to the staff's own districts; and
the district's retention setting with what the next retention run erases."""

from django.contrib import admin
from django.utils.html import format_html_join

from privacy.models import CycleErasure, Erasure
from privacy.selectors import retention_preview
from teachers.admin import DistrictAdmin, DistrictScopedAdminMixin
from teachers.models import District


class _ReadOnly(DistrictScopedAdminMixin, admin.ModelAdmin):
    district_path = "district"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Erasure)
class ErasureAdmin(_ReadOnly):
    """Who erased which teacher (by id), when: made on the Erase a teacher page."""

    list_display = ("erased_at", "teacher_id", "district", "erased_by_username")
    list_filter = ("district",)


@admin.register(CycleErasure)
class CycleErasureAdmin(_ReadOnly):
    """Cycles whose texts the retention job erased."""

    list_display = ("erased_at", "cycle_id", "district")
    list_filter = ("district",)


admin.site.unregister(District)


@admin.register(District)
class DistrictWithRetentionAdmin(DistrictAdmin):
    list_display = (*DistrictAdmin.list_display, "retention_years")
    readonly_fields = (*DistrictAdmin.readonly_fields, "retention_next_run")

    @admin.display(description="The next retention run")
    def retention_next_run(self, obj: District) -> str:
        if obj.pk is None:
            return "-"
        preview = retention_preview(district=obj)
        if preview.cutoff is None:
            return "Nothing: this district keeps everything."
        if not preview.cycles:
            return f"Nothing: no cycle closed before {preview.cutoff:%d %B %Y} has texts left."
        lines = [(f"Erases the texts of {preview.cycles} cycles closed before "
                  f"{preview.cutoff:%d %B %Y}:",)]  # fmt: skip
        lines += [(f"{n} {kind}",) for kind, n in preview.rows.items()]
        return format_html_join("", "<div>{}</div>", lines)
