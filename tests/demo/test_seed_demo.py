"""`seed_demo`: a realistic demo district of three schools, and running it again changes nothing."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from coaching.models import (
    OPEN_STATES,
    CoachingCycle,
    CycleState,
    Debrief,
    Move,
    NeedArea,
    Outcome,
    Revisit,
)
from coaching.selectors import debriefs_needing_brief, revisits_needed
from coaching.services import revisits_schedule_due
from demo import data as demo
from observations.models import EngagementSample, Phase
from teachers.models import Disposition, Membership, NonSchoolDay, Role, School, Teacher
from teachers.school_days import school_days_for
from teachers.selectors import user_roles

pytestmark = pytest.mark.django_db
DOMAIN_APPS = ["accounts", "teachers", "observations", "coaching"]


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """Seed once for the module (seeding takes seconds); each test runs in a transaction that
    is rolled back, and the tables are emptied after the last one."""
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        call_command("flush", "--no-input", verbosity=0)


def test_seed_demo_run_twice_leaves_the_same_counts(seeded):
    first = _counts()

    call_command("seed_demo", stdout=StringIO())

    assert _counts() == first
    # The worker makes briefs and reminders; a calendar link exists only once its user asks
    # for one (its secret is shown to them alone).
    made_later = {"coaching.ContextBrief", "notifications.Reminder", "accounts.CalendarFeed"}
    assert all(n > 0 for label, n in first.items() if label not in made_later)


def test_demo_has_cycles_in_every_state_and_every_outcome(seeded):
    states = set(CoachingCycle.objects.values_list("state", flat=True))
    outcomes = set(
        CoachingCycle.objects.filter(state=CycleState.CLOSED).values_list("outcome", flat=True)
    )

    assert states == set(CycleState.values)
    assert outcomes == set(Outcome.values)
    # At most one open cycle per teacher, and some teachers with none.
    per_teacher = CoachingCycle.objects.filter(state__in=OPEN_STATES).values("teacher")
    assert max(row["n"] for row in per_teacher.annotate(n=Count("id"))) == 1
    assert Teacher.objects.exclude(cycles__state__in=OPEN_STATES).exists()


def test_demo_district_has_three_schools_five_coaches_and_a_principal_at_each(seeded):
    schools = School.objects.filter(district__slug=demo.DISTRICT.slug)
    coaches = Teacher.objects.values("caseload_assignments__coach").annotate(n=Count("id"))
    coach_schools = (
        Membership.objects.filter(role=Role.COACH)
        .values("user")
        .annotate(n=Count("school", distinct=True))
    )

    assert schools.count() == 3
    assert len(coaches) == 5
    assert all(6 <= row["n"] <= 10 for row in coaches)
    assert sorted(row["n"] for row in coach_schools) == [1, 1, 1, 1, 2]
    for school in schools:
        assert Membership.objects.filter(school=school, role=Role.PRINCIPAL).count() == 1
        assert Membership.objects.filter(school=school, role=Role.COACH).count() == 2
        assert Teacher.objects.filter(school=school, cycles__state__in=OPEN_STATES).exists()
    assert set(Teacher.objects.values_list("disposition", flat=True)) == set(Disposition.values)


def test_demo_schools_each_have_a_holiday_in_the_coming_month_and_a_past_break(seeded):
    today = timezone.localdate()
    for school in School.objects.all():
        closures = NonSchoolDay.objects.filter(school=school)
        assert closures.filter(
            starts_on__gt=today, starts_on__lte=today + datetime.timedelta(days=31)
        ).exists()
        assert closures.filter(ends_on__lt=today, name="Term break").exists()


def test_demo_schools_close_for_the_winter_break_on_its_real_dates(seeded):
    year = timezone.localdate().year
    for school in School.objects.all():
        calendar = school_days_for(school=school)
        for christmas in (datetime.date(year - 1, 12, 25), datetime.date(year, 12, 25)):
            assert calendar.closure_on(christmas) or christmas.isoweekday() > 5
            assert not calendar.is_school_day(christmas)
            assert not calendar.is_school_day(datetime.date(christmas.year + 1, 1, 1))


def test_demo_teacher_in_the_sign_in_table_has_a_next_step_and_a_revisit_waiting(seeded, client):
    """The README's "my move after a debrief" teacher: a debrief held with a next step, the
    cycle debriefed and the revisit ahead."""
    cycle = CoachingCycle.objects.get(
        teacher__user__username="teacher.porter", state__in=OPEN_STATES
    )
    debrief = Debrief.objects.filter(session__cycle=cycle).latest("session__held_at")

    assert "teacher.porter" in seeded
    assert cycle.state == CycleState.DEBRIEFED
    assert debrief.next_step and debrief.session.held_at is not None
    revisit = cycle.revisits.get(status="scheduled")
    assert revisit.due_on > timezone.localdate()
    # ... and "My move" shows both.
    client.force_login(cycle.teacher.user)
    html = client.get(reverse("my_move")).content.decode()
    assert escape(debrief.next_step) in html
    assert f"{revisit.due_on:%A} {revisit.due_on.day} {revisit.due_on:%B}" in html


def test_demo_move_library_has_30_moves_across_the_three_need_areas(seeded):
    per_area = dict(Move.objects.values_list("need_area").annotate(n=Count("id")))

    assert sum(per_area.values()) >= 30
    assert set(per_area) == set(NeedArea.values)


def test_demo_has_overdue_revisits_and_sweeps_before_and_after_the_move(seeded):
    overdue = Revisit.objects.filter(status="scheduled", due_on__lt=timezone.localdate())

    assert overdue.exists()
    assert Revisit.objects.filter(status="scheduled", due_on__gte=timezone.localdate()).exists()
    assert set(EngagementSample.objects.values_list("phase", flat=True)) == set(Phase.values)


def _sign_in_request():
    """A sign-in as the page makes it: the throttling backend (django-axes) needs the request."""
    return RequestFactory().post("/accounts/login/")


def test_demo_sign_ins_are_printed_and_work_for_each_role(seeded):
    expected = {
        "coach.rivera": Role.COACH,
        "coach.ibrahim": Role.COACH,
        "principal": Role.PRINCIPAL,
        "principal.cedarcreek": Role.PRINCIPAL,
        "principal.riverside": Role.PRINCIPAL,
        "district": Role.DISTRICT_LEADER,
        "teacher.lee": Role.TEACHER,
        "teacher.porter": Role.TEACHER,
    }
    for username, role in expected.items():
        assert username in seeded
        user = authenticate(_sign_in_request(), username=username, password="coach-demo-2026")
        assert user is not None, username
        assert role in user_roles(user=user)
    admin = authenticate(_sign_in_request(), username="admin", password="coach-demo-2026")
    assert admin.is_superuser


def test_demo_leaves_revisits_and_briefs_for_the_worker_to_make(seeded):
    """A first `make run` shows the jobs working: cycles under way without a revisit (the
    scheduling job gives them one) and debriefs within a day without a brief."""
    needing_revisit = revisits_needed()
    needing_brief = debriefs_needing_brief()

    assert len(needing_revisit) >= 2
    assert all(plan.due_on >= timezone.localdate() for plan in needing_revisit)
    # The coming debriefs are on the next school day: within the day on a school day, after
    # a weekend or a holiday otherwise.
    assert needing_brief or debriefs_needing_brief(hours=24 * 5)

    run = revisits_schedule_due()

    assert run.scheduled == len(needing_revisit)
    assert revisits_needed() == []


def test_demo_district_coaches_against_the_sample_framework_with_tagged_moves_and_evidence(
    seeded,
):
    from frameworks.models import Framework
    from observations.models import StudentEvidence

    framework = Framework.objects.get(name=demo.FRAMEWORK_NAME)
    assert framework.is_active and framework.district.slug == demo.DISTRICT.slug
    assert Move.objects.filter(components__domain__framework=framework).distinct().count() >= 20
    tagged = StudentEvidence.objects.filter(components__isnull=False).distinct().count()
    assert tagged == StudentEvidence.objects.count() > 0


def test_demo_dates_agree_with_each_other_and_with_the_calendars_today(seeded):
    """Today's demo (the time-machine test covers other days): see test_seed_demo_dates."""
    from tests.demo.test_seed_demo_dates import CHICAGO, demo_date_problems

    assert demo_date_problems(timezone.localdate(timezone=CHICAGO)) == []


def test_demo_district_view_compares_the_three_schools_and_each_principal_sees_theirs(
    seeded, client
):
    client.force_login(User.objects.get(username=demo.DISTRICT_LEADER.username))
    district = client.get(reverse("district_dashboard"))

    assert district.status_code == 200
    html = district.content.decode()
    for spec in demo.SCHOOLS:
        assert escape(spec.name) in html
    for slug, person in demo.PRINCIPALS.items():
        client.force_login(User.objects.get(username=person.username))
        page = client.get(reverse("dashboard")).content.decode()
        others = [s.name for s in demo.SCHOOLS if s.slug != slug]
        assert escape(School.objects.get(slug=slug).name) in page
        assert not any(escape(name) in page for name in others)
