from django.contrib import admin

from frameworks.models import Component, Domain, Framework, PerformanceLevel


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    show_change_link = True


class LevelInline(admin.TabularInline):
    model = PerformanceLevel
    extra = 0


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "is_active", "created")
    list_filter = ("is_active", "district")
    search_fields = ("name",)
    inlines = [DomainInline, LevelInline]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "framework", "position")
    list_filter = ("framework",)
    inlines = [ComponentInline]


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "domain")
    list_filter = ("domain__framework",)
    search_fields = ("code", "name")
