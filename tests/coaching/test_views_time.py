"""The time page: logging the rest of a coach's time, the last two weeks with their sources,
totals and direct share, and correcting a manual entry with its history kept."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from coaching.models import SessionKind, TimeCategory, TimeEntry
from coaching.services import session_log, time_entry_date_bounds, time_entry_log
from teachers.models import Role
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db
# A day that is in the past in every school time zone, whatever the hour of the test run.
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)
NOON_WED_9_DEC = datetime.datetime(2026, 12, 9, 12, tzinfo=datetime.UTC)


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


@time_machine.travel(NOON_WED_9_DEC, tick=False)
@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            "2026-12-10",
            "Time cannot be logged for a future day: pick a date from 10 Dec 2021 to today, "
            "9 Dec 2026.",
        ),
        (
            "2021-12-09",
            "That is too far back: pick a date from 10 Dec 2021 to today, 9 Dec 2026.",
        ),
    ],
)
def test_a_date_out_of_bounds_is_refused_naming_the_real_bounds(client, school_world, day, message):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(reverse("time_log"), _entry_data(entry_date=day))

    assert response.status_code == 200
    assert response.context["form"].errors == {"entry_date": [message]}
    assert message in response.content.decode()
    assert not TimeEntry.objects.filter(coach=w.coach1).exists()


@time_machine.travel(NOON_WED_9_DEC, tick=False)
def test_the_date_picker_offers_the_days_the_service_accepts(client, school_world):
    client.force_login(school_world.coach1)

    html = client.get(reverse("time_log")).content.decode()

    assert time_entry_date_bounds() == (datetime.date(2021, 12, 10), datetime.date(2026, 12, 9))
    assert 'min="2021-12-10"' in html and 'max="2026-12-09"' in html
    for day in ("2021-12-10", "2026-12-09"):  # the bounds themselves are accepted
        client.post(reverse("time_log"), _entry_data(entry_date=day, client_id=""))
    assert TimeEntry.objects.filter(coach=school_world.coach1).count() == 2


# --- Back, then "Log time" again ------------------------------------------------------------


def _form_key(client) -> str:
    return str(client.get(reverse("time_log")).context["form"]["client_id"].value())


def test_a_resubmitted_form_with_the_same_key_logs_one_entry(client, school_world):
    w = school_world
    client.force_login(w.coach1)
    key = _form_key(client)

    first = client.post(reverse("time_log"), _entry_data(client_id=key))
    again = client.post(reverse("time_log"), _entry_data(client_id=key, minutes="45"), follow=True)

    assert first.status_code == 302
    entry = TimeEntry.objects.get(coach=w.coach1)
    assert (entry.minutes, entry.client_id) == (30, uuid.UUID(key))
    assert "Already logged: 30 min of admin" in again.content.decode()
    assert "Nothing was added." in again.content.decode()


def test_each_showing_of_the_form_has_its_own_key(client, school_world):
    w = school_world
    client.force_login(w.coach1)
    first, second = _form_key(client), _form_key(client)

    client.post(reverse("time_log"), _entry_data(client_id=first))
    client.post(reverse("time_log"), _entry_data(client_id=second))

    assert first != second
    assert TimeEntry.objects.filter(coach=w.coach1).count() == 2


def test_a_key_that_is_not_one_still_logs_the_time(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(reverse("time_log"), _entry_data(client_id="not-a-key"))

    assert response.status_code == 302
    assert TimeEntry.objects.get(coach=w.coach1).client_id is None


def test_a_refused_form_keeps_its_key_so_the_corrected_submit_logs_once(client, school_world):
    w = school_world
    client.force_login(w.coach1)
    key = _form_key(client)

    refused = client.post(reverse("time_log"), _entry_data(client_id=key, minutes="0"))
    client.post(reverse("time_log"), _entry_data(client_id=key))
    client.post(reverse("time_log"), _entry_data(client_id=key))

    assert f'value="{key}"' in refused.content.decode()
    assert TimeEntry.objects.filter(coach=w.coach1).count() == 1


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


def test_totals_are_in_hours(client, school_world):
    w = school_world
    _manual_entry(w, minutes=1440, category=TimeCategory.ADMIN)
    _manual_entry(w, minutes=180, category=TimeCategory.ADMIN)
    _manual_entry(w, minutes=90, category=TimeCategory.MEETINGS)
    client.force_login(w.coach1)

    html = client.get(reverse("time_log")).content.decode()

    assert re.search(r"Admin</th>\s*<td[^>]*>27 h</td>", html)
    assert re.search(r"Meetings</th>\s*<td[^>]*>1.5 h</td>", html)
    assert re.search(r"Total</th><td[^>]*>28.5 h</td>", html)
    assert "1620" not in html and "1710" not in html


@time_machine.travel(NOON_WED_9_DEC, tick=False)
def test_entries_are_grouped_by_week_from_monday_with_the_weeks_total(client, school_world):
    w = school_world
    for day, minutes in [(9, 30), (7, 60), (6, 45), (30, 15)]:
        month = 11 if day == 30 else 12
        _manual_entry(w, minutes=minutes, entry_date=datetime.date(2026, month, day))
    client.force_login(w.coach1)

    response = client.get(reverse("time_log"))

    weeks = response.context["weeks"].weeks
    assert [(wk.label, wk.minutes_total) for wk in weeks] == [
        ("7 \u2013 13 Dec 2026", 90),
        ("30 Nov \u2013 6 Dec 2026", 60),
    ]
    assert [[e.entry_date.day for e in wk.entries] for wk in weeks] == [[9, 7], [6, 30]]
    html = response.content.decode()
    assert "Week of 7 \u2013 13 Dec 2026" in html and "1.5 h logged" in html
    assert "Week of 30 Nov \u2013 6 Dec 2026" in html and "1 h logged" in html


@time_machine.travel(NOON_WED_9_DEC, tick=False)
def test_entries_are_paged_with_links_and_a_week_over_two_pages_keeps_its_total(
    client, school_world
):
    w = school_world
    # 30 entries of 10 minutes, one a day from Wed 9 Dec back to Tue 10 Nov.
    for back in range(30):
        _manual_entry(
            w, minutes=10, entry_date=datetime.date(2026, 12, 9) - datetime.timedelta(back)
        )
    client.force_login(w.coach1)

    first = client.get(reverse("time_log"))
    second = client.get(reverse("time_log"), {"page": "2"})
    beyond = client.get(reverse("time_log"), {"page": "99"})

    assert sum(len(wk.entries) for wk in first.context["weeks"].weeks) == 25
    assert sum(len(wk.entries) for wk in second.context["weeks"].weeks) == 5
    assert 'href="?page=2#entries-heading"' in first.content.decode()
    assert 'href="?page=1#entries-heading"' in second.content.decode()
    # Page 1 ends on Sun 15 Nov; the week of Mon 9 Nov goes on to page 2 (14 to 10 Nov) with
    # the total of all its six days.
    head = second.context["weeks"].weeks[0]
    assert [e.entry_date.day for e in head.entries] == [14, 13, 12, 11, 10]
    assert (head.start, head.continued, head.minutes_total) == (
        datetime.date(2026, 11, 9),
        True,
        60,
    )
    assert "(continued)" in second.content.decode()
    assert beyond.status_code == 200 and beyond.context["weeks"].page.number == 2


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
