"""Audit history of coaching records (django-simple-history): a change made through a page
records who made it and which field changed; administrators read it on the admin's History
page, nobody else; background jobs record a reason and no user. Archive, not delete: the app
never deletes coaching records; an archived time entry keeps its row and counts nowhere."""

import ast
import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from coaching import selectors, services
from coaching.models import (
    AgreedMove,
    Assessment,
    CoachingCycle,
    CoachingSession,
    CycleState,
    Debrief,
    IndicatorSeen,
    Outcome,
    PersistentProblem,
    Reflection,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeEntry,
)
from dashboards import selectors as dashboard_selectors
from observations.models import EngagementSample, Observation, ObservationNote, StudentEvidence
from teachers.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Every record issue 7 names (cycles with their assessment and problem, agreed moves,
# sessions, debriefs, reflections, revisits, time, observations and their evidence).
AUDITED = (
    CoachingCycle,
    Assessment,
    PersistentProblem,
    AgreedMove,
    CoachingSession,
    Debrief,
    Reflection,
    Revisit,
    TimeEntry,
    Observation,
    ObservationNote,
    EngagementSample,
    StudentEvidence,
)


def _history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_every_coaching_record_keeps_history_shown_in_the_admin(model):
    assert hasattr(model, "history"), f"{model.__name__} keeps no history"
    assert isinstance(admin.site._registry.get(model), SimpleHistoryAdmin), (
        f"{model.__name__} has no History page with changes in the admin"
    )


# --- A change through a page: who and which field --------------------------------------------


@pytest.fixture
def corrected_session(client, school_world):
    """A rehearsal of c1a logged at 25 minutes, then corrected to 40 by coach1 on its page."""
    session = services.session_log(
        cycle=school_world.c1a,
        kind=SessionKind.REHEARSAL,
        held_at=timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=2),
        duration_minutes=25,
        practised="Countdown.",
        rounds=2,
    )
    client.force_login(school_world.coach1)
    url = reverse("session_edit", args=[session.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    school_tz = zoneinfo.ZoneInfo(school_world.c1a.teacher.school.time_zone)
    data["held_at"] = timezone.localtime(session.held_at, school_tz).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {**data, "duration_minutes": "40"})
    assert response.status_code == 302
    client.logout()
    return session


def test_a_change_through_a_page_records_the_user_and_the_changed_field(
    corrected_session, school_world
):
    latest, earlier = corrected_session.history.order_by("-history_date", "-history_id")[:2]

    assert latest.history_type == "~"
    assert latest.history_user == school_world.coach1
    delta = latest.diff_against(earlier)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("duration_minutes", 25, 40)]


def test_the_admin_history_page_shows_who_changed_which_field(
    client, corrected_session, school_world
):
    client.force_login(school_world.superuser)

    response = client.get(_history_url(corrected_session))

    html = response.content.decode()
    assert response.status_code == 200
    assert str(school_world.coach1) in html  # changed by
    assert re.search(r"<strong>Duration minutes:</strong>\s*25\s*&nbsp;&rarr;&nbsp;&nbsp;40", html)


@pytest.mark.parametrize("who", ["coach1", "principal_a", "t1a"])
def test_people_without_the_admin_never_reach_the_history_page(
    client, corrected_session, school_world, who
):
    user = school_world.t1a.user if who == "t1a" else getattr(school_world, who)
    client.force_login(user)

    response = client.get(_history_url(corrected_session))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_permission_on_coaching_content_are_refused_its_history(
    client, corrected_session
):
    staff = f.UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename="view_coachingsession"))
    client.force_login(staff)

    assert client.get(_history_url(corrected_session)).status_code == 403


def test_staff_see_the_history_of_a_record_they_may_view_and_only_then(client, school_world):
    revisit = f.RevisitFactory(cycle=school_world.c1a)
    staff = f.UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(_history_url(revisit)).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_revisit"))
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached on the instance
    client.force_login(staff)

    assert client.get(_history_url(revisit)).status_code == 200


# --- Reflections -----------------------------------------------------------------------------


REFLECTION = {
    "students_did": "Nineteen boards showed the full equation; three were blank.",
    "indicator_seen": IndicatorSeen.PARTLY,
    "would_change": "Count down from five, not three.",
    "engaged_count": "20",
    "present_count": "25",
}


@pytest.fixture
def reflecting_cycle(school_world) -> CoachingCycle:
    """t1a's cycle under way with its move agreed and a debrief ahead."""
    cycle = school_world.c1a
    CoachingCycle.objects.filter(pk=cycle.pk).update(state=CycleState.ACTIVE)
    f.AgreedMoveFactory(cycle=cycle)
    f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=None,
        duration_minutes=None,
        scheduled_for=timezone.now() + datetime.timedelta(days=3),
    )
    return cycle


def test_a_reflection_changed_by_the_teacher_is_audited_with_the_teacher_and_the_change(
    client, reflecting_cycle, school_world
):
    teacher = school_world.t1a.user
    client.force_login(teacher)
    client.post(reverse("reflect"), REFLECTION)
    client.post(reverse("reflect"), {**REFLECTION, "indicator_seen": IndicatorSeen.YES})

    reflection = Reflection.objects.get(cycle=reflecting_cycle)
    records = list(reflection.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_user) for r in records] == [
        ("+", teacher),
        ("~", teacher),
    ]
    changed = {c.field: (c.old, c.new) for c in records[1].diff_against(records[0]).changes}
    assert changed["indicator_seen"] == (IndicatorSeen.PARTLY, IndicatorSeen.YES)

    client.force_login(school_world.superuser)
    html = client.get(_history_url(reflection)).content.decode()
    assert str(teacher) in html
    assert re.search(r"<strong>Did the success indicator happen\?:</strong>\s*partly", html)


# --- Changes the app makes on its own --------------------------------------------------------


def test_the_revisit_job_records_a_reason_and_no_user(school_world):
    cycle = school_world.c1a
    CoachingCycle.objects.filter(pk=cycle.pk).update(state=CycleState.DEBRIEFED)
    overdue = f.RevisitFactory(
        cycle=cycle, due_on=timezone.localdate() - datetime.timedelta(days=60)
    )

    services.revisits_schedule_due()

    missed = overdue.history.latest("history_date")
    assert missed.status == RevisitStatus.MISSED
    assert missed.history_user is None
    assert missed.history_change_reason.startswith("Revisit job: overdue")
    scheduled = Revisit.objects.get(cycle=cycle, status=RevisitStatus.SCHEDULED)
    created = scheduled.history.get()
    assert created.history_user is None
    assert created.history_change_reason == "Revisit job: scheduled by the revisit rule."


def test_closing_a_cycle_cancels_its_revisit_in_the_revisits_history(school_world):
    revisit = f.RevisitFactory(cycle=school_world.c1a)

    services.cycle_close(cycle=school_world.c1a, outcome=Outcome.ABANDONED)

    cancelled = revisit.history.latest("history_date")
    assert cancelled.status == RevisitStatus.CANCELLED
    assert cancelled.history_change_reason == "The cycle was closed."


# --- Archive, not delete ---------------------------------------------------------------------

# Code the app's pages and jobs run. Any ``.delete(`` there must be listed with its reason.
PAGE_CODE = (
    "coaching/views",
    "coaching/services",
    "coaching/forms",
    "dashboards",
    "notifications",
    "observations/services.py",
    "clips/views.py",
    "clips/services.py",
    "clips/tasks.py",
)
DELETES_ALLOWED = {
    # The reminder's "sent once" record, removed when the mail server refused it: not coaching
    # data, and removing it is what lets the next run send it.
    ("notifications/services.py", "reminder_deliver"),
    # Video clips (issue 9): an upload refused at its finish or abandoned for a day is removed
    # with its partial file (nothing half-stored); the teacher deletes their own clip for good
    # (privacy); the stored files of a clip deleted or failed go with it (no orphan videos).
    ("clips/services.py", "_discard"),
    ("clips/services.py", "clip_delete"),
    ("clips/services.py", "_remove_stored"),
}


def _deletes(path: Path) -> set[tuple[str, str]]:
    tree = ast.parse(path.read_text())
    found = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "delete"
            ):
                found.add((path.relative_to(ROOT).as_posix(), func.name))
    return found


def test_the_apps_pages_and_jobs_never_delete_coaching_records():
    files = []
    for name in PAGE_CODE:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    found = set().union(*(_deletes(p) for p in files))

    assert found == DELETES_ALLOWED


# Days ago, so that the entry's day is inside the time page's and the dashboard's periods
# whatever the hour.
HELD_AT = timezone.now() - datetime.timedelta(days=3)


@pytest.fixture
def held_session(school_world) -> CoachingSession:
    return services.session_log(
        cycle=school_world.c1a,
        kind=SessionKind.REHEARSAL,
        held_at=HELD_AT,
        duration_minutes=35,
        rounds=2,
    )


def _minutes(world) -> tuple[int, int, int]:
    """c1a's minutes on its cycle page, coach1's on the time page, on school A's dashboard."""
    (school,) = dashboard_selectors.school_dashboard(user=world.principal_a)
    return (
        selectors.cycle_overview(cycle=world.c1a).minutes,
        sum(t.minutes for t in selectors.coach_time_period(coach=world.coach1).totals),
        school.totals.minutes_total,
    )


def test_a_session_no_longer_held_archives_its_time_entry_and_held_again_restores_it(
    held_session, school_world
):
    entry = TimeEntry.objects.get(session=held_session)
    counted = _minutes(school_world)

    services.session_update(
        session=held_session, held_at=None, scheduled_for=timezone.now(), duration_minutes=None
    )

    entry.refresh_from_db()
    assert entry.archived_at is not None and entry.archived_by is None
    assert entry.history.latest("history_date").history_change_reason == (
        "Its session is no longer held."
    )
    assert _minutes(school_world) == tuple(n - 35 for n in counted)

    services.session_update(session=held_session, held_at=HELD_AT, duration_minutes=35)

    assert TimeEntry.objects.get(session=held_session).pk == entry.pk
    assert TimeEntry.objects.get(pk=entry.pk).archived_at is None
    assert _minutes(school_world) == counted


@pytest.fixture
def staff_admin(client, school_world):
    """A staff administrator of the world's district who manages time entries (not a
    superuser: the admin shows them their own district's rows)."""
    staff = f.UserFactory(is_staff=True)
    f.MembershipFactory(
        user=staff, district_wide=True, district=school_world.district, role=Role.ADMINISTRATOR
    )
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__model="timeentry", content_type__app_label="coaching"
        )
    )
    client.force_login(staff)
    return staff


def _archive(client, entry, action: str = "archive_entries"):
    return client.post(
        reverse("admin:coaching_timeentry_changelist"),
        {"action": action, "_selected_action": [entry.pk]},
    )


def test_an_entry_archived_in_the_admin_keeps_its_row_and_counts_nowhere(
    client, staff_admin, school_world
):
    w = school_world
    entry = f.TimeEntryFactory(coach=w.coach1, school=w.school_a, cycle=w.c1a, minutes=50)
    counted = _minutes(w)

    response = _archive(client, entry)

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.archived_at is not None and entry.archived_by == staff_admin
    assert entry.history.latest("history_date").history_user == staff_admin
    assert _minutes(w) == tuple(n - 50 for n in counted)
    client.force_login(w.coach1)
    assert client.get(reverse("time_entry_edit", args=[entry.pk])).status_code == 404
    assert f'href="{reverse("time_entry_edit", args=[entry.pk])}"' not in (
        client.get(reverse("time_log")).content.decode()
    )

    client.force_login(staff_admin)
    _archive(client, entry, "restore_entries")
    entry.refresh_from_db()
    assert entry.archived_at is None and _minutes(w) == counted


def test_staff_archive_time_entries_but_only_superusers_delete_coaching_records(
    client, staff_admin, school_world
):
    entry = f.TimeEntryFactory(coach=school_world.coach1, school=school_world.school_a)
    delete_url = reverse("admin:coaching_timeentry_delete", args=[entry.pk])

    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:coaching_timeentry_changelist")).content.decode()
    assert "archive_entries" in changelist and "delete_selected" not in changelist
    assert TimeEntry.objects.filter(pk=entry.pk).exists()

    client.force_login(school_world.superuser)
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_a_record_a_superuser_deleted_is_in_history_and_can_be_put_back(client, school_world):
    revisit = f.RevisitFactory(cycle=school_world.c1a, reason="Kept safe.")
    pk = revisit.pk
    client.force_login(school_world.superuser)

    client.post(reverse("admin:coaching_revisit_delete", args=[pk]), {"post": "yes"})

    assert not Revisit.objects.filter(pk=pk).exists()
    deleted = Revisit.history.get(id=pk, history_type="-")
    assert deleted.history_user == school_world.superuser
    assert client.get(_history_url(revisit)).status_code == 200
    form_url = reverse("admin:coaching_revisit_simple_history", args=[pk, deleted.history_id])
    form = client.get(form_url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    assert client.post(form_url, data).status_code == 302
    assert Revisit.objects.get(pk=pk).reason == "Kept safe."


def test_an_archived_entry_is_not_corrected(school_world):
    entry = f.TimeEntryFactory(coach=school_world.coach1, school=school_world.school_a)
    services.time_entry_archive(entry=entry, by=school_world.superuser)

    with pytest.raises(ValidationError, match="archived"):
        services.time_entry_correct(entry=entry, minutes=5)

    entry.refresh_from_db()
    assert entry.minutes == 45
