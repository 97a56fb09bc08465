"""The admin for coaching records. Every coaching record keeps its change history
(django-simple-history): its "History" page lists who changed what and when, with the fields
changed from what to what, for whoever may view the record here.

Deleting: the app's pages never delete coaching records. In the admin only superusers may
delete one (SuperuserDeleteMixin; the confidential ones are superuser-only altogether); every
deletion, cascaded rows included, is kept in history with who made it and the last values, and
the History page of the row can put it back. Time entries, which staff administrators manage,
are archived and restored instead (they then count in no figure)."""

import json

from django.contrib import admin, messages
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from coaching import services
from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    ContextBrief,
    Debrief,
    Move,
    PersistentProblem,
    Reflection,
    Revisit,
    TimeEntry,
)
from core.admin import ConfidentialContentAdminMixin
from frameworks.selectors import components_of_active_frameworks
from teachers.admin import DistrictScopedAdminMixin

TEACHER_SEARCH = ("teacher__first_name", "teacher__last_name")


class SuperuserDeleteMixin:
    """Only superusers delete coaching records in the admin (see the module docstring); staff
    with the model's permissions view and change them."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


CYCLE_TEACHER_SEARCH = ("cycle__teacher__first_name", "cycle__teacher__last_name")


@admin.register(Move)
class MoveAdmin(admin.ModelAdmin):
    list_display = ("name", "need_area", "problem", "is_active")
    list_filter = ("need_area", "problem", "is_active")
    search_fields = ("name", "looks_like", "script_stems")
    prepopulated_fields = {"slug": ("name",)}
    list_per_page = 50
    filter_horizontal = ("components",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """Tag moves only with components of the districts' active frameworks."""
        if db_field.name == "components":
            kwargs["queryset"] = components_of_active_frameworks()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PersistentProblem)
class PersistentProblemAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = ("statement", "teacher", "category", "opened_on", "resolved_on")
    list_filter = ("category", ("resolved_on", admin.EmptyFieldListFilter), "teacher__school")
    list_select_related = ("teacher",)
    search_fields = ("statement", *TEACHER_SEARCH)
    autocomplete_fields = ("teacher",)
    date_hierarchy = "opened_on"
    list_per_page = 50


@admin.register(Assessment)
class AssessmentAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = ("teacher", "coach", "need_area", "assessed_on")
    list_filter = ("need_area", "teacher__school")
    list_select_related = ("teacher", "coach")
    search_fields = ("evidence", "rationale", *TEACHER_SEARCH)
    autocomplete_fields = ("teacher", "coach")
    date_hierarchy = "assessed_on"
    list_per_page = 50

    def get_queryset(self, request):
        # Autocomplete lists use this queryset and __str__ shows the teacher. A joined queryset
        # makes the changelist skip list_select_related, so join those relations here.
        return super().get_queryset(request).select_related(*self.list_select_related)


class AgreedMoveInline(admin.StackedInline):
    model = AgreedMove
    autocomplete_fields = ("move",)


class CoachingSessionInline(admin.TabularInline):
    model = CoachingSession
    fields = ("kind", "scheduled_for", "held_at", "duration_minutes")
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cycle__teacher")


class RevisitInline(admin.TabularInline):
    model = Revisit
    fields = ("due_on", "status", "completed_on", "reason")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cycle__teacher")


@admin.register(CoachingCycle)
class CoachingCycleAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "teacher",
        "coach",
        "need_area",
        "state",
        "outcome",
        "opened_on",
        "closed_on",
        "shared_with_principal",
    )
    list_filter = ("state", "outcome", "assessment__need_area", "teacher__school")
    list_select_related = ("teacher", "coach", "assessment")
    search_fields = (*TEACHER_SEARCH, "coach__username", "coach__first_name", "coach__last_name")
    autocomplete_fields = ("teacher", "coach", "assessment", "persistent_problem")
    date_hierarchy = "opened_on"
    inlines = (AgreedMoveInline, CoachingSessionInline, RevisitInline)
    list_per_page = 50

    def get_queryset(self, request):
        # Autocomplete lists use this queryset and __str__ shows the teacher. A joined queryset
        # makes the changelist skip list_select_related, so join those relations here.
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="need area", ordering="assessment__need_area")
    def need_area(self, obj: CoachingCycle) -> str:
        return obj.assessment.get_need_area_display()


@admin.register(AgreedMove)
class AgreedMoveAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = ("move", "cycle", "due_on")
    list_filter = ("move__need_area", "cycle__teacher__school")
    list_select_related = ("move", "cycle__teacher")
    search_fields = ("move__name", "next_day_action", "script", *CYCLE_TEACHER_SEARCH)
    autocomplete_fields = ("cycle", "move")
    date_hierarchy = "due_on"
    list_per_page = 50


class DebriefInline(admin.StackedInline):
    model = Debrief


@admin.register(CoachingSession)
class CoachingSessionAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = ("kind", "cycle", "scheduled_for", "held_at", "duration_minutes")
    list_filter = ("kind", "cycle__teacher__school")
    list_select_related = ("cycle__teacher",)
    search_fields = ("notes", *CYCLE_TEACHER_SEARCH)
    autocomplete_fields = ("cycle",)
    date_hierarchy = "scheduled_for"
    fieldsets = (
        (None, {"fields": ("cycle", "kind", "scheduled_for", "held_at", "duration_minutes")}),
        ("Notes", {"fields": ("notes",)}),
        (
            "Co-planning",
            {
                "fields": ("questions_scripted", "anticipated_responses"),
                "classes": ("collapse",),
            },
        ),
        (
            "Rehearsal",
            {"fields": ("practised", "rounds", "feedback_given"), "classes": ("collapse",)},
        ),
        (
            "Data review",
            {
                "fields": ("exit_slips_meeting_pct", "misconceptions", "next_instructional_step"),
                "classes": ("collapse",),
            },
        ),
    )
    inlines = (DebriefInline,)
    list_per_page = 50

    def get_queryset(self, request):
        # Autocomplete lists use this queryset and __str__ shows the teacher. A joined queryset
        # makes the changelist skip list_select_related, so join those relations here.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(Debrief)
class DebriefAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = ("session", "indicator_met", "created_at")
    list_filter = ("indicator_met", "session__cycle__teacher__school")
    list_select_related = ("session__cycle__teacher",)
    search_fields = (
        "students_showed",
        "next_step",
        "session__cycle__teacher__first_name",
        "session__cycle__teacher__last_name",
    )
    autocomplete_fields = ("session",)
    date_hierarchy = "created_at"
    list_per_page = 50


@admin.register(Reflection)
class ReflectionAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    """The teacher's reflections before debriefs: coaching content, for superusers only."""

    list_display = ("cycle", "indicator_seen", "session", "submitted_at", "updated_at")
    list_filter = ("indicator_seen", "cycle__teacher__school")
    list_select_related = ("cycle__teacher", "session__cycle__teacher")
    search_fields = ("students_did", "would_change", *CYCLE_TEACHER_SEARCH)
    autocomplete_fields = ("cycle", "session")
    date_hierarchy = "submitted_at"
    list_per_page = 50


@admin.register(Revisit)
class RevisitAdmin(DistrictScopedAdminMixin, SuperuserDeleteMixin, SimpleHistoryAdmin):
    district_path = "cycle__teacher__school__district_id"
    list_display = ("cycle", "due_on", "status", "completed_on", "overdue")
    list_filter = ("status", "due_on", "cycle__teacher__school")
    list_select_related = ("cycle__teacher",)
    search_fields = ("reason", *CYCLE_TEACHER_SEARCH)
    autocomplete_fields = ("cycle",)
    date_hierarchy = "due_on"
    list_per_page = 50

    @admin.display(description="overdue", boolean=True, ordering="due_on")
    def overdue(self, obj: Revisit) -> bool:
        return obj.is_overdue()


@admin.register(ContextBrief)
class ContextBriefAdmin(ConfidentialContentAdminMixin, admin.ModelAdmin):
    list_display = ("cycle", "session", "built_at", "is_stale")
    list_filter = ("is_stale", "cycle__teacher__school")
    list_select_related = ("cycle__teacher", "session__cycle__teacher")
    search_fields = CYCLE_TEACHER_SEARCH
    autocomplete_fields = ("cycle", "session")
    date_hierarchy = "built_at"
    exclude = ("content",)
    readonly_fields = ("content_display",)
    list_per_page = 50

    @admin.display(description="content")
    def content_display(self, obj: ContextBrief) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.content, indent=2, ensure_ascii=False))


@admin.register(TimeEntry)
class TimeEntryAdmin(DistrictScopedAdminMixin, SuperuserDeleteMixin, SimpleHistoryAdmin):
    """Staff archive a wrong entry (it then counts in no figure) and restore it; the row and
    its history stay. Staff see their own districts' entries only."""

    district_path = "school__district_id"

    list_display = (
        "entry_date",
        "coach",
        "school",
        "category",
        "minutes",
        "cycle",
        "note",
        "archived",
    )
    list_filter = ("category", ("archived_at", admin.EmptyFieldListFilter), "school")
    list_select_related = ("coach", "school", "cycle__teacher")
    search_fields = ("note", "coach__username", "coach__first_name", "coach__last_name")
    autocomplete_fields = ("coach", "school", "cycle")
    readonly_fields = ("archived_at", "archived_by")
    date_hierarchy = "entry_date"
    actions = ("archive_entries", "restore_entries")
    list_per_page = 50

    @admin.display(description="archived", boolean=True, ordering="archived_at")
    def archived(self, obj: TimeEntry) -> bool:
        return obj.is_archived

    @admin.action(description="Archive the selected time entries", permissions=["change"])
    def archive_entries(self, request, queryset) -> None:
        entries = queryset.filter(archived_at__isnull=True)
        for entry in entries:
            services.time_entry_archive(
                entry=entry, by=request.user, reason="Archived in the admin."
            )
        self.message_user(
            request, f"{len(entries)} time entries archived: they count in no figure now."
        )

    @admin.action(description="Restore the selected time entries", permissions=["change"])
    def restore_entries(self, request, queryset) -> None:
        entries = queryset.filter(archived_at__isnull=False)
        for entry in entries:
            services.time_entry_restore(entry=entry, reason="Restored in the admin.")
        self.message_user(request, f"{len(entries)} time entries restored.", messages.SUCCESS)
