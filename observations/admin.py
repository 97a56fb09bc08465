"""The admin for classroom evidence: every row keeps its change history (django-simple-history),
shown on its "History" page with who changed which field when; coaching content, so for
superusers only (ConfidentialContentAdminMixin)."""

from django.contrib import admin
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ConfidentialContentAdminMixin
from observations.models import EngagementSample, Observation, ObservationNote, StudentEvidence

OBSERVATION_SEARCH = (
    "observation__teacher__first_name",
    "observation__teacher__last_name",
    "observation__focus",
)


class ObservationNoteInline(admin.TabularInline):
    model = ObservationNote
    extra = 0


class EngagementSampleInline(admin.TabularInline):
    model = EngagementSample
    extra = 0


class StudentEvidenceInline(admin.TabularInline):
    model = StudentEvidence
    extra = 0
    exclude = ("components",)  # tagged on the live page, checked against the framework


@admin.register(Observation)
class ObservationAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "teacher",
        "observer",
        "cycle",
        "scheduled_for",
        "started_at",
        "ended_at",
        "focus",
        "is_done",
    )
    list_filter = ("teacher__school", ("cycle", admin.EmptyFieldListFilter))
    list_select_related = ("teacher", "observer", "cycle__teacher")
    search_fields = ("teacher__first_name", "teacher__last_name", "focus", "observer__username")
    autocomplete_fields = ("teacher", "cycle", "observer")
    date_hierarchy = "started_at"
    inlines = (ObservationNoteInline, EngagementSampleInline, StudentEvidenceInline)
    list_per_page = 50

    def get_queryset(self, request):
        # Autocomplete lists use this queryset and __str__ shows the teacher. A joined queryset
        # makes the changelist skip list_select_related, so join those relations here.
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="done", boolean=True, ordering="started_at")
    def is_done(self, obj: Observation) -> bool:
        return obj.is_done


@admin.register(ObservationNote)
class ObservationNoteAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    """The timestamped notes of a visit, on their own so that each has its History page."""

    list_display = ("summary", "observation", "noted_at")
    list_filter = ("observation__teacher__school",)
    list_select_related = ("observation__teacher",)
    search_fields = ("text", *OBSERVATION_SEARCH)
    autocomplete_fields = ("observation",)
    date_hierarchy = "noted_at"
    list_per_page = 50

    @admin.display(description="note")
    def summary(self, obj: ObservationNote) -> str:
        return Truncator(obj.text).chars(80)


@admin.register(EngagementSample)
class EngagementSampleAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = ("observation", "phase", "taken_at", "engaged_count", "present_count", "share")
    list_filter = ("phase", "observation__teacher__school")
    list_select_related = ("observation__teacher",)
    search_fields = OBSERVATION_SEARCH
    autocomplete_fields = ("observation",)
    date_hierarchy = "taken_at"
    list_per_page = 50

    @admin.display(description="engaged share")
    def share(self, obj: EngagementSample) -> str:
        return f"{obj.share:.0%}"


@admin.register(StudentEvidence)
class StudentEvidenceAdmin(ConfidentialContentAdminMixin, SimpleHistoryAdmin):
    list_display = ("kind", "summary", "observation", "noted_at")
    list_filter = ("kind", "observation__teacher__school")
    list_select_related = ("observation__teacher",)
    search_fields = ("description", *OBSERVATION_SEARCH)
    autocomplete_fields = ("observation",)
    # Tagged on the live observation page, where the service checks each component belongs
    # to the teacher's district's active framework.
    readonly_fields = ("components",)
    date_hierarchy = "noted_at"
    list_per_page = 50

    @admin.display(description="description")
    def summary(self, obj: StudentEvidence) -> str:
        return Truncator(obj.description).chars(80)
