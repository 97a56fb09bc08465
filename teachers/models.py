"""Schools, people and their profiles: the lowest domain layer."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("“%(value)s” is not a known time zone.", params={"value": value})


def validate_school_weekdays(value: str) -> None:
    if not value or any(c not in "1234567" for c in value) or len(set(value)) != len(value):
        raise ValidationError(
            "Give the school's weekdays as day numbers 1 (Monday) to 7 (Sunday), each once."
        )


class District(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    sourced_id = models.CharField(
        "OneRoster sourcedId",
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text="Set by roster imports (rosters app): the district's id in the OneRoster files.",
    )
    retention_years = models.PositiveSmallIntegerField(
        "years of coaching content kept",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="What was written in a cycle closed longer ago than this is erased by the "
        "retention job, every 6 hours (the counts stay). Empty: kept for ever.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text="Reminders and due dates follow this time zone.",
    )
    default_cycle_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=2.5,
        help_text="Coach hours one coaching cycle takes when a coach has logged too little time "
        "to tell (2 to 3 hours by hand, per the program studies).",
    )
    school_weekdays = models.CharField(
        max_length=7,
        default="12345",
        validators=[validate_school_weekdays],
        help_text="The weekdays the school teaches, as ISO day numbers (1 Monday ... 7 Sunday): "
        "12345 is Monday to Friday. Holidays and breaks are non-school days.",
    )
    is_active = models.BooleanField(default=True)
    sourced_id = models.CharField(
        "OneRoster sourcedId",
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text="Set by roster imports (rosters app): the school's id in the OneRoster files.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_cycle_hours__gt=0) & Q(default_cycle_hours__lte=40),
                name="school_default_cycle_hours_range",
                violation_error_message="Hours per cycle must be above 0 and at most 40.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NonSchoolDay(models.Model):
    """A holiday or a break at a school: every day from ``starts_on`` to ``ends_on`` (both
    included) is not a school day. Imported ones keep the calendar event's UID so importing the
    same calendar again changes nothing."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="non_school_days")
    starts_on = models.DateField()
    ends_on = models.DateField()
    name = models.CharField(max_length=120)
    source_uid = models.CharField(
        max_length=255,
        blank=True,
        help_text="The UID of the calendar event this was imported from (empty when typed in).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="non_school_day_ends_after_start",
                violation_error_message="The last day cannot be before the first day.",
            ),
            models.UniqueConstraint(
                fields=["school", "source_uid"],
                condition=~Q(source_uid=""),
                name="non_school_day_unique_source_uid",
            ),
        ]
        indexes = [models.Index(fields=["school", "ends_on"])]

    MAX_DAYS = 366

    def __str__(self) -> str:
        if self.starts_on == self.ends_on:
            return f"{self.name} ({self.starts_on:%d %b %Y})"
        return f"{self.name} ({self.starts_on:%d %b} to {self.ends_on:%d %b %Y})"

    def clean(self) -> None:
        span = (self.ends_on - self.starts_on).days if self.starts_on and self.ends_on else 0
        if span < 0:  # said next to the field (the check constraint alone says it for the form)
            raise ValidationError({"ends_on": "The last day cannot be before the first day."})
        if span >= self.MAX_DAYS:
            raise ValidationError({"ends_on": "A holiday or break lasts at most a year."})


class Role(models.TextChoices):
    COACH = "coach", "Coach"
    PRINCIPAL = "principal", "Principal"
    DISTRICT_LEADER = "district_leader", "District leader"
    TEACHER = "teacher", "Teacher"
    ADMINISTRATOR = "administrator", "Administrator"


DISTRICT_WIDE_ROLES = (Role.DISTRICT_LEADER, Role.ADMINISTRATOR)

# Coaching hours a coach has for cycles in a month when their membership does not say: a
# full-time coach works about 160 hours a month, and the studies find direct work is at best
# 60-80% of it, with meetings, coverage and admin taking the rest; 60 hours leaves room for the
# preparation and documentation a cycle also needs (2 to 3 hours a cycle in all).
COACH_HOURS_PER_MONTH_DEFAULT = Decimal("60")


class Membership(models.Model):
    """A user's role at one school, or (district leaders and administrators) across a district."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Only for district-wide roles (district leader, administrator); leave the "
        "school empty then.",
    )
    is_active = models.BooleanField(default=True)
    hours_per_month = models.DecimalField(
        "coaching hours per month",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Coaches only: hours a month this coach has for coaching cycles at this "
        f"school (part-time coaches have fewer). Empty means {COACH_HOURS_PER_MONTH_DEFAULT}.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="membership_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__isnull=True)
                | (Q(hours_per_month__gt=0) & Q(hours_per_month__lte=300)),
                name="membership_hours_per_month_range",
                violation_error_message="Coaching hours per month must be above 0 and at most 300.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, district__isnull=True)
                    | Q(school__isnull=True, district__isnull=False, role__in=DISTRICT_WIDE_ROLES)
                ),
                name="membership_school_xor_district",
                violation_error_message="A membership is for one school, or for a whole district "
                "(district leaders and administrators only).",
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                condition=Q(school__isnull=False),
                name="membership_unique_per_school",
                violation_error_message="This person already has this role at this school.",
            ),
            models.UniqueConstraint(
                fields=["user", "district", "role"],
                condition=Q(district__isnull=False),
                name="membership_unique_per_district",
                violation_error_message="This person already has this role in this district.",
            ),
        ]

    def __str__(self) -> str:
        where = self.school or self.district
        return f"{self.user} — {self.get_role_display()} — {where}"


class GradeBand(models.TextChoices):
    EARLY = "k_2", "K–2"
    ELEMENTARY = "3_5", "3–5"
    MIDDLE = "6_8", "6–8"
    HIGH = "9_12", "9–12"


class Disposition(models.TextChoices):
    OVERWHELMED = "overwhelmed", "Overwhelmed"
    SKEPTICAL = "skeptical", "Skeptical"
    PERFECTIONIST = "perfectionist", "Perfectionist"
    AVOIDS_VULNERABILITY = "avoids_vulnerability", "Avoids vulnerability"
    READY = "ready", "Ready"


class Orientation(models.TextChoices):
    PERFORMANCE = "performance", "Performance (wants to look good)"
    LEARNING = "learning", "Learning (wants to get better)"


class TimeFocus(models.TextChoices):
    PAST = "past", "Past (what worked before)"
    PRESENT = "present", "Present (today's lessons)"
    FUTURE = "future", "Future (goals and plans)"


class Teacher(models.Model):
    """The person being coached, with the profile a coach adapts to. May have no login."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="teachers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher_profile",
        help_text="The teacher's own sign-in, if they have one.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    subject = models.CharField(max_length=100, blank=True)
    grade_band = models.CharField(max_length=5, choices=GradeBand.choices, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(60)], help_text="Years in the classroom."
    )
    disposition = models.CharField(
        max_length=24, choices=Disposition.choices, default=Disposition.READY
    )
    orientation = models.CharField(
        max_length=12, choices=Orientation.choices, default=Orientation.LEARNING
    )
    time_focus = models.CharField(
        max_length=8, choices=TimeFocus.choices, default=TimeFocus.PRESENT
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["school", "last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(years_experience__lte=60),
                name="teacher_years_experience_max",
                violation_error_message="Years of experience must be 60 or fewer.",
            ),
            models.CheckConstraint(
                condition=Q(disposition__in=Disposition.values)
                & Q(orientation__in=Orientation.values)
                & Q(time_focus__in=TimeFocus.values),
                name="teacher_profile_choices_valid",
            ),
            models.UniqueConstraint(
                fields=["school", "email"],
                condition=~Q(email=""),
                name="teacher_email_unique_per_school",
                violation_error_message="Another teacher at this school has this email address.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CaseloadAssignment(models.Model):
    """A teacher on a coach's caseload, from a date until (optionally) a date."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload_assignments"
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="caseload_assignments"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher"],
                condition=Q(ended_on__isnull=True),
                name="caseload_one_current_coach_per_teacher",
                violation_error_message="This teacher is already on a coach's caseload; end that "
                "assignment first.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="caseload_ends_after_start",
                violation_error_message="An assignment cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.coach}"

    def clean(self) -> None:
        super().clean()
        if self.coach_id and self.teacher_id:
            is_coach_here = Membership.objects.filter(
                user_id=self.coach_id,
                role=Role.COACH,
                school_id=self.teacher.school_id,
                is_active=True,
            ).exists()
            if not is_coach_here:
                raise ValidationError(
                    {"coach": "This person is not a coach at the teacher's school."}
                )
