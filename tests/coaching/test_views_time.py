"""The time page: logging the rest of a coach's time, the last two weeks with their sources,
totals and direct share, and correcting a manual entry with its history kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import SessionKind, TimeCategory, TimeEntry
from coaching.services import session_log, time_entry_log
from teachers.models import Role
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db
# A day that is in the past in every school time zone, whatever the hour of the test run.
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def _entry_data(**overrides) -> dict:
    data = {
        "category": TimeCategory.ADMIN,
        "minutes": "30",
        "entry_date": YESTERDAY.isoformat(),
        "cycle": "",
        "note": "Weekly report",
    }
    return {**data, **overrides}


def _manual_entry(world, **fields):
    values = {
        "coach": world.coach1,
        "school": world.school_a,
        "minutes": 30,
        "category": TimeCategory.MEETINGS,
        "entry_date": YESTERDAY,
        "note": "Staff meeting",
        **fields,
    }
    return time_entry_log(**values)


def _session_entry(world, minutes: int = 60) -> TimeEntry:
    session = session_log(
        cycle=world.c1a,
        kind=SessionKind.CO_PLANNING,
        held_at=timezone.now() - datetime.timedelta(days=1),
        duration_minutes=minutes,
    )
    return session.time_entry


# --- Logging time ---------------------------------------------------------------------------


def test_coach_logs_time_for_their_school(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(reverse("time_log"), _entry_data(cycle=str(w.c1a.pk)))

    assert response.status_code == 302 and response.url == reverse("time_log")
    entry = TimeEntry.objects.get(coach=w.coach1)
    assert (entry.school, entry.minutes, entry.category) == (w.school_a, 30, TimeCategory.ADMIN)
    assert (entry.entry_date, entry.cycle, entry.note) == (YESTERDAY, w.c1a, "Weekly report")
    page = client.get(response.url).content.decode()
    assert "Logged 30 min of admin" in page
    assert "Weekly report" in page


def test_time_log_date_defaults_to_today(client, school_world):
    client.force_login(school_world.coach1)

    response = client.get(reverse("time_log"))

    form = response.context["form"]
    assert form["entry_date"].value() == form.today
    assert f'max="{form.today.isoformat()}"' in response.content.decode()


def test_a_future_date_is_refused_with_a_field_error(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(reverse("time_log"), _entry_data(entry_date=NEXT_WEEK.isoformat()))

    assert response.status_code == 200
    assert response.context["form"].errors == {"entry_date": ["The date cannot be in the future."]}
    assert "The date cannot be in the future." in response.content.decode()
    assert not TimeEntry.objects.filter(coach=w.coach1).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("minutes", "0"), ("minutes", "2000"), ("category", TimeCategory.DIRECT_COACHING)],
)
def test_bad_minutes_or_a_direct_category_are_refused(client, school_world, field, value):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(reverse("time_log"), _entry_data(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not TimeEntry.objects.filter(coach=w.coach1).exists()


def test_a_cycle_of_another_coach_cannot_be_chosen(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(reverse("time_log"), _entry_data(cycle=str(w.c2a.pk)))

    assert response.status_code == 200
    assert "cycle" in response.context["form"].errors
    assert not TimeEntry.objects.filter(coach=w.coach1).exists()


def test_only_the_coachs_open_cycles_are_offered(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    cycles = list(client.get(reverse("time_log")).context["form"].fields["cycle"].queryset)

    assert set(cycles) == {w.c1a, w.c1b}


def test_coach_of_one_school_gets_no_school_select(client, school_world):
    client.force_login(school_world.coach1)

    html = client.get(reverse("time_log")).content.decode()

    assert 'name="school"' not in html


def test_coach_of_two_schools_chooses_the_school(client, school_world):
    w = school_world
    MembershipFactory(user=w.coach1, role=Role.COACH, school=w.school_b)
    MembershipFactory(user=w.coach1, role=Role.COACH, school=SchoolFactory(), is_active=False)
    client.force_login(w.coach1)

    response = client.get(reverse("time_log"))
    client.post(reverse("time_log"), _entry_data(school=str(w.school_b.pk)))

    assert '<select name="school"' in response.content.decode()
    assert set(response.context["form"].fields["school"].queryset) == {w.school_a, w.school_b}
    assert TimeEntry.objects.get(coach=w.coach1).school == w.school_b


def test_a_cycle_of_another_school_than_the_entry_is_refused_next_to_the_cycle(
    client, school_world
):
    w = school_world
    MembershipFactory(user=w.coach1, role=Role.COACH, school=w.school_b)
    client.force_login(w.coach1)

    response = client.post(
        reverse("time_log"), _entry_data(school=str(w.school_b.pk), cycle=str(w.c1a.pk))
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"cycle": ["This cycle belongs to another school."]}
    assert not TimeEntry.objects.filter(coach=w.coach1).exists()


def test_time_page_is_for_coaches(client, school_world):
    client.force_login(school_world.principal_a)

    assert client.get(reverse("time_log")).status_code == 403


# --- The list, its sources and totals --------------------------------------------------------


def test_list_shows_session_time_as_not_editable_with_a_link_to_its_cycle(client, school_world):
    w = school_world
    from_session = _session_entry(w)
    manual = _manual_entry(w)
    client.force_login(w.coach1)

    html = client.get(reverse("time_log")).content.decode()

    assert "from a session" in html
    assert f'href="{reverse("cycle_detail", args=[w.c1a.pk])}"' in html
    assert f'href="{reverse("time_entry_edit", args=[from_session.pk])}"' not in html
    assert f'href="{reverse("time_entry_edit", args=[manual.pk])}"' in html
    assert "Sessions and observations log their own time" in html


def test_list_shows_totals_by_category_and_the_direct_share(client, school_world):
    w = school_world
    _session_entry(w, minutes=60)
    _manual_entry(w, minutes=40, category=TimeCategory.ADMIN)
    _manual_entry(w, minutes=50, entry_date=timezone.localdate() - datetime.timedelta(days=20))
    client.force_login(w.coach1)

    response = client.get(reverse("time_log"))

    period = response.context["period"]
    totals = {t.category: t.minutes for t in period.totals}
    assert totals[TimeCategory.DIRECT_COACHING] == 60
    assert totals[TimeCategory.ADMIN] == 40
    assert totals[TimeCategory.MEETINGS] == 0  # the 20-day-old entry is outside the period
    assert period.direct_pct == 60
    assert "<strong>60%</strong>" in response.content.decode()


def test_list_shows_only_the_coachs_own_entries(client, school_world):
    w = school_world
    time_entry_log(
        coach=w.coach2, school=w.school_a, minutes=15, category="admin", note="coach2 paperwork"
    )
    client.force_login(w.coach1)

    html = client.get(reverse("time_log")).content.decode()

    assert "coach2 paperwork" not in html


# --- Correcting an entry --------------------------------------------------------------------


def test_correcting_an_entry_keeps_its_history(client, school_world):
    w = school_world
    entry = _manual_entry(w, minutes=30)
    client.force_login(w.coach1)
    url = reverse("time_entry_edit", args=[entry.pk])

    response = client.post(url, _entry_data(category=TimeCategory.MEETINGS, minutes="45"))

    entry.refresh_from_db()
    assert response.status_code == 302 and response.url == url
    assert entry.minutes == 45 and entry.note == "Weekly report"
    assert entry.history.count() == 2
    old = entry.history.earliest("history_date")
    assert (old.minutes, old.note) == (30, "Staff meeting")
    assert entry.history.latest("history_date").history_user == w.coach1
    page = client.get(url)
    html = page.content.decode()
    corrected = page.context["history"][0]
    assert corrected.action == "changed" and corrected.who == w.coach1
    assert [(c.label, c.old, c.new) for c in corrected.changes] == [
        ("Minutes", "30", "45"),
        ("Note", "Staff meeting", "Weekly report"),
    ]
    assert "<del>30</del> → 45" in html


def test_correction_with_a_future_date_is_refused_and_changes_nothing(client, school_world):
    w = school_world
    entry = _manual_entry(w, minutes=30)
    client.force_login(w.coach1)

    response = client.post(
        reverse("time_entry_edit", args=[entry.pk]),
        _entry_data(category=TimeCategory.MEETINGS, entry_date=NEXT_WEEK.isoformat()),
    )

    entry.refresh_from_db()
    assert response.status_code == 200
    assert "entry_date" in response.context["form"].errors
    assert entry.entry_date == YESTERDAY and entry.minutes == 30
    assert entry.history.count() == 1


def test_entry_of_a_cycle_closed_since_can_still_be_corrected(client, school_world):
    w = school_world
    entry = _manual_entry(w, minutes=30, cycle=w.c1a_old)
    client.force_login(w.coach1)

    response = client.post(
        reverse("time_entry_edit", args=[entry.pk]),
        _entry_data(category=TimeCategory.MEETINGS, minutes="40", cycle=str(w.c1a_old.pk)),
    )

    entry.refresh_from_db()
    assert response.status_code == 302
    assert (entry.minutes, entry.cycle) == (40, w.c1a_old)


def test_unchanged_correction_adds_no_history(client, school_world):
    w = school_world
    entry = _manual_entry(w)
    client.force_login(w.coach1)

    client.post(
        reverse("time_entry_edit", args=[entry.pk]),
        _entry_data(category=TimeCategory.MEETINGS, minutes="30", note="Staff meeting"),
    )

    assert entry.history.count() == 1


def test_session_time_cannot_be_corrected_on_the_time_page(client, school_world):
    w = school_world
    entry = _session_entry(w, minutes=60)
    client.force_login(w.coach1)
    url = reverse("time_entry_edit", args=[entry.pk])

    page = client.get(url)
    response = client.post(url, _entry_data(minutes="5"))

    entry.refresh_from_db()
    assert page.status_code == 200 and page.context["form"] is None
    assert f'href="{reverse("cycle_detail", args=[w.c1a.pk])}"' in page.content.decode()
    assert response.status_code == 400
    assert entry.minutes == 60


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_coachs_entry_is_not_found(client, school_world, method):
    w = school_world
    entry = _manual_entry(w, minutes=30)
    client.force_login(w.coach2)

    response = getattr(client, method)(
        reverse("time_entry_edit", args=[entry.pk]), _entry_data(minutes="5")
    )

    entry.refresh_from_db()
    assert response.status_code == 404
    assert entry.minutes == 30
