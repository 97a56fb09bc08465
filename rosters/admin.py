from django.contrib import admin

from rosters.models import RosterImport


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    """Read-only: imports are made on the Rosters page or with `manage.py import_roster`."""

    list_display = ("created_at", "file_name", "district", "dry_run", "status", "created_by")
    list_filter = ("status", "dry_run", "district")
    exclude = ("file_data",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
