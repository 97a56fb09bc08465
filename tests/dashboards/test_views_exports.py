"""The exports page (/exports/): the form, the CSV it sends for the form's parameters (GET, so a
link can be bookmarked), its errors, and who gets what, on the world of test_exports (June 2025;
today is 15 July 2025)."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.exports import CYCLE_HEADER, OBSERVATION_HEADER, TIME_ENTRY_HEADER
from teachers.models import Role
from tests import factories as f
from tests.dashboards.test_exports import EVIL, _cycle, _time, _visit, day
from tests.dashboards.test_exports import world as exports_world  # noqa: F401

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
JUNE = {"period": "custom", "start": "2025-06-01", "end": "2025-06-30"}


@pytest.fixture
def w(exports_world, time_machine):  # noqa: F811
    time_machine.move_to(datetime.datetime(2025, 7, 15, 12, tzinfo=NY), tick=False)
    return exports_world


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("exports"), params)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _ids(table: list[list[str]]) -> set[int]:
    return {int(row[0]) for row in table[1:]}


# --- The page ----------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("exports"), {"what": "cycles", **JUNE})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(client, w):
    response = _get(client, f.UserFactory(), what="cycles", **JUNE)

    assert response.status_code == 403
    assert not response.get("Content-Disposition")


def test_the_page_shows_the_form_with_this_month_by_default(client, w):
    response = _get(client, w.leader)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    assert 'method="get"' in html and 'action="/exports/"' in html
    for value in ("cycles", "observations", "time_entries", "this_school_year"):
        assert f'value="{value}"' in html
    assert 'value="2025-07-01"' in html and 'value="2025-07-31"' in html  # custom dates: July
    # Only the schools the leader may see.
    schools = response.context["form"].fields["school"].queryset
    assert list(schools) == [w.school_a, w.school_b]
    assert "/exports/?what=cycles&amp;period=this_school_year" in html  # a quick download
    assert '<a class="nav-link active" aria-current="page" href="/exports/">Exports</a>' in html


def test_a_teacher_may_export_their_own_cycles_but_no_time(client, w):
    response = _get(client, w.teacher)

    html = response.content.decode()
    assert 'value="cycles"' in html and 'value="time_entries"' not in html
    assert "school" not in response.context["form"].fields
    assert ">Exports</a>" in html

    table = _csv(_get(client, w.teacher, what="cycles", **JUNE))
    assert table[0] == CYCLE_HEADER
    assert _ids(table) == {w.cycles["c1"].pk}

    refused = _get(client, w.teacher, what="time_entries", **JUNE)
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()


def test_no_exports_link_without_a_role(client, w):
    client.force_login(f.UserFactory())
    response = client.get(reverse("home"))

    assert "/exports/" not in response.content.decode()


# --- The CSV: exactly the rows the user may see -------------------------------------------------


def test_principal_downloads_the_cycles_of_their_school_only(client, w):
    response = _get(client, w.principal_a, what="cycles", **JUNE)

    assert response["Content-Disposition"] == (
        'attachment; filename="cycles-2025-06-01-to-2025-06-30.csv"'
    )
    assert response["Cache-Control"].startswith("max-age=0")
    table = _csv(response)
    assert table[0] == CYCLE_HEADER
    assert _ids(table) == {w.cycles[c].pk for c in ("c1", "c3", "c3_old")}
    text = response.getvalue().decode()
    assert "B School" not in text and "C School" not in text and "Dee Dunn" not in text


def test_coach_downloads_their_caseload(client, w):
    cycles = _csv(_get(client, w.ann, what="cycles", **JUNE))
    observations = _csv(_get(client, w.ann, what="observations", **JUNE))
    entries = _csv(_get(client, w.ann, what="time_entries", **JUNE))

    assert _ids(cycles) == {w.cycles["c1"].pk}
    assert observations[0] == OBSERVATION_HEADER
    assert _ids(observations) == {w.observations["o1"].pk}
    assert entries == [
        TIME_ENTRY_HEADER,
        ["2025-06-01", "A School", "Ann Adams", "Direct coaching", "yes", "45", "0.75", "By hand"],
        ["2025-06-30", "A School", "Ann Adams", "Admin", "no", "90", "1.5", "By hand"],
    ]


def test_principal_gets_the_time_of_their_schools_coaches(client, w):
    entries = _csv(_get(client, w.principal_a, what="time_entries", **JUNE))

    assert sorted((r[2], r[5]) for r in entries[1:]) == [
        ("Ann Adams", "45"),
        ("Ann Adams", "90"),
        ("Ben Brown", "50"),
    ]


def test_leader_narrows_to_one_of_their_schools(client, w):
    response = _get(client, w.leader, what="observations", school=w.school_b.pk, **JUNE)

    assert _ids(_csv(response)) == {w.observations["o_b_edge"].pk}
    assert "b-school" in response["Content-Disposition"]


def test_a_school_outside_the_users_scope_is_refused_next_to_the_field(client, w):
    response = _get(client, w.principal_a, what="cycles", school=w.school_c.pk, **JUNE)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["school"]
    assert "C School" not in response.content.decode()


def test_preset_period_counts_from_today_and_ignores_the_dates(client, w):
    response = _get(
        client, w.ann, what="time_entries", period="last_month", start="garbage", end="x"
    )

    assert {r[0] for r in _csv(response)[1:]} == {"2025-06-01", "2025-06-30"}
    this_year = _csv(_get(client, w.ann, what="time_entries", period="this_school_year"))
    # 2024-08-01 to 2025-07-31: May, June and July; never the archived entry.
    assert [r[5] for r in this_year[1:]] == ["30", "45", "90", "30"]


def test_no_confidential_text_and_formula_cells_are_escaped(client, w):
    for user in (w.ann, w.ben, w.principal_a, w.leader, w.teacher):
        for what in ("cycles", "observations", "time_entries"):
            response = _get(client, user, what=what, **JUNE)
            if response.status_code == 400:  # the teacher's time
                continue
            assert "SECRET" not in response.getvalue().decode(), (user, what)

    table = _csv(_get(client, w.ben, what="cycles", **JUNE))
    assert {row[2] for row in table[1:]} == {"'" + EVIL + " Three"}


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2025-06-30", "end": "2025-06-01"}, "end", "must end on or after"),
        ({"start": "2023-01-01", "end": "2025-06-30"}, "end", "at most 731 days"),
        ({"start": "", "end": "2025-06-30"}, "start", "Give the first day"),
        ({"start": "2025-06-01", "end": ""}, "end", "Give the last day"),
        ({"start": "2025-02-30", "end": "2025-06-30"}, "start", "Enter a valid date"),
        ({"start": "1999-12-31", "end": "2000-01-02"}, "start", "between 2000 and 2099"),
        ({"period": "forever"}, "period", "Select a valid choice"),
        ({"what": "teachers"}, "what", "Select a valid choice"),
        ({"what": ""}, "what", "This field is required"),
    ],
)
def test_invalid_parameters_show_the_form_with_the_error_next_to_the_field(
    client, w, params, field, message
):
    response = _get(client, w.ann, **{"what": "cycles", **JUNE, **params})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    html = response.content.decode()
    # The message sits under the field, which points at it for assistive technology.
    shown = re.search(
        rf'<div id="id_{field}_error" class="invalid-feedback">(.*?)</div>', html, re.S
    )
    assert shown and message in shown.group(1)
    tag = re.search(rf'<(?:input|select)[^>]*id="id_{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag and f"id_{field}_error" in tag
    assert "The export could not be made" in html


def test_the_longest_period_allowed_is_two_years(client, w):
    longest = {"period": "custom", "start": "2023-07-01", "end": "2025-06-30"}  # 731 days
    one_more = {**longest, "start": "2023-06-30"}

    assert _get(client, w.ann, what="cycles", **longest).status_code == 200
    assert _get(client, w.ann, what="cycles", **one_more).status_code == 400


# --- Queries ----------------------------------------------------------------------------------


def _grow(w, n: int) -> None:
    """``n`` more teachers on Ann's caseload, each with a cycle, a visit and a time entry."""
    for i in range(n):
        teacher = f.TeacherFactory(school=w.school_a, last_name=f"Extra{i}")
        f.CaseloadAssignmentFactory(coach=w.ann, teacher=teacher, started_on=day(1, 1))
        cycle = _cycle(teacher, w.ann, day(6, 5))
        _visit(teacher, w.ann, datetime.datetime(2025, 6, 6, 9, tzinfo=NY), cycle=cycle)
        _time(w.ann, w.school_a, day(6, 7), 100 + i, cycle=cycle)


def _queries(client, user, what: str) -> tuple[int, int]:
    client.force_login(user)
    client.get(reverse("exports"))  # the session's first request stores the user's time zone
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("exports"), {"what": what, **JUNE})
        rows = len(_csv(response)) - 1
    return len(ctx), rows


@pytest.mark.parametrize("what", ["cycles", "observations", "time_entries"])
@pytest.mark.parametrize("role", ["ann", "principal_a"])
def test_queries_do_not_grow_with_the_rows(client, w, what, role):
    _grow(w, 2)
    small, small_rows = _queries(client, getattr(w, role), what)
    _grow(w, 8)
    large, large_rows = _queries(client, getattr(w, role), what)

    assert large_rows == small_rows + 8
    assert large == small, (small, large)


def test_only_a_principal_role_sees_school_time(client, w):
    """A coach who is also a teacher somewhere else gets their own time only: the leader rule
    needs a leader role."""
    f.MembershipFactory(user=w.ann, school=w.school_b, role=Role.TEACHER)

    entries = _csv(_get(client, w.ann, what="time_entries", **JUNE))
    assert {r[2] for r in entries[1:]} == {"Ann Adams"}
