from django.contrib import admin

from teachers.models import (
    CaseloadAssignment,
    District,
    Membership,
    NonSchoolDay,
    School,
    Teacher,
)
from teachers.school_days import weekdays_from
from teachers.selectors import dates_as_written, weekdays_as_written


def staff_district_ids(user) -> set[int]:
    """The districts a staff account works in: those of its active roles (a school's district,
    or the district of a district-wide role)."""
    rows = Membership.objects.filter(user=user, is_active=True).values_list(
        "school__district_id", "district_id"
    )
    return {pk for pair in rows for pk in pair if pk is not None}


class DistrictScopedAdminMixin:
    """Rows carrying coaching content that staff may see in the admin (a revisit's reasons, a
    time entry's note, a clip's title): a staff account that is not a superuser sees only the
    rows of its own districts; a row of another district is as absent as one that does not
    exist. ``district_path``: the lookup from the row to its district's id."""

    district_path: str = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.district_path}__in": staff_district_ids(request.user)})


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    list_per_page = 50


class SchoolMembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "is_active")
    autocomplete_fields = ("user",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "school")


class NonSchoolDayInline(admin.TabularInline):
    """The school's holidays and breaks (principals edit them on the school calendar page)."""

    model = NonSchoolDay
    fields = ("name", "starts_on", "ends_on", "dates", "source_uid")
    readonly_fields = ("dates", "source_uid")
    extra = 0
    ordering = ("-starts_on",)

    @admin.display(description="as written")
    def dates(self, obj: NonSchoolDay) -> str:
        if obj.starts_on is None or obj.ends_on is None:
            return ""
        return dates_as_written(obj.starts_on, obj.ends_on)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "district",
        "time_zone",
        "school_days",
        "default_cycle_hours",
        "is_active",
    )
    list_filter = ("is_active", "district")
    list_select_related = ("district",)
    search_fields = ("name", "slug", "district__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("district",)
    inlines = (SchoolMembershipInline, NonSchoolDayInline)
    list_per_page = 50

    @admin.display(description="school days", ordering="school_weekdays")
    def school_days(self, obj: School) -> str:
        return weekdays_as_written(weekdays_from(obj.school_weekdays))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "school", "district", "is_active", "created_at")
    list_filter = ("role", "is_active", "school", "district")
    list_select_related = ("user", "school", "district")
    search_fields = (
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "school__name",
        "district__name",
    )
    autocomplete_fields = ("user", "school", "district")
    list_per_page = 50


class CaseloadAssignmentInline(admin.TabularInline):
    model = CaseloadAssignment
    fields = ("coach", "started_on", "ended_on")
    autocomplete_fields = ("coach",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("teacher", "coach")


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = (
        "last_name",
        "first_name",
        "school",
        "subject",
        "grade_band",
        "years_experience",
        "disposition",
        "is_active",
    )
    list_display_links = ("last_name", "first_name")
    list_filter = ("is_active", "school", "grade_band", "disposition", "orientation", "time_focus")
    list_select_related = ("school",)
    search_fields = ("first_name", "last_name", "email", "subject")
    autocomplete_fields = ("school", "user")
    inlines = (CaseloadAssignmentInline,)
    list_per_page = 50


@admin.register(CaseloadAssignment)
class CaseloadAssignmentAdmin(admin.ModelAdmin):
    list_display = ("teacher", "coach", "school", "started_on", "ended_on", "is_current")
    list_filter = (("ended_on", admin.EmptyFieldListFilter), "teacher__school")
    list_select_related = ("teacher__school", "coach")
    search_fields = (
        "teacher__first_name",
        "teacher__last_name",
        "coach__username",
        "coach__first_name",
        "coach__last_name",
    )
    autocomplete_fields = ("teacher", "coach")
    date_hierarchy = "started_on"
    list_per_page = 50

    @admin.display(description="school", ordering="teacher__school__name")
    def school(self, obj: CaseloadAssignment):
        return obj.teacher.school

    @admin.display(description="current", boolean=True, ordering="ended_on")
    def is_current(self, obj: CaseloadAssignment) -> bool:
        return obj.ended_on is None
