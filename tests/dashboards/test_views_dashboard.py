"""The dashboard pages: the school dashboard, the district view, the lists behind the figures and
their CSV downloads, on the hand-made world of test_dashboard_figures (its numbers are worked out
there). Today is 30 June 2025 at the schools."""

import csv
import datetime
import io
import json
import re
import zoneinfo
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import Revisit
from teachers.models import NonSchoolDay, Role
from tests.dashboards import test_selectors as figures
from tests.dashboards.test_selectors import world as figures_world  # noqa: F401

pytestmark = pytest.mark.django_db

JUNE = {"start": "2025-06-01", "end": "2025-06-30"}
NOON = datetime.datetime(2025, 6, 30, 12, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
JUNE_13 = datetime.date(2025, 6, 13)


@pytest.fixture
def w(figures_world, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    return figures_world


def _get(client, user, name="dashboard", **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _by_coach(response) -> dict:
    return {
        row["c"].coach.first_name: row["c"]
        for section in response.context["sections"]
        for row in section["rows"]
    }


# --- The school dashboard ------------------------------------------------------------------------


def test_principal_sees_every_figure_of_their_school(client, w):
    response = _get(client, w.principal_a, **JUNE)

    assert response.status_code == 200
    html = response.content.decode()
    ann = _by_coach(response)["Ann"]
    assert (ann.caseload, ann.open_cycles, ann.closed_total, ann.moves_mastered) == (4, 2, 2, 1)
    # The main table: teachers, seen lately, overdue, time with teachers, hours a month.
    row, more = re.findall(r"<th scope=\"row\">Ann Adams</th>(.*?)</tr>", html, re.S)
    assert "2 of 4</span>" in row and "50%" in row  # cadence
    assert "oldest 3 school days" in row  # due 25 June: 26, 27 and 30 June
    assert "40%" in row and "Below aim" in row and "of 6.7 h logged" in row  # 160 of 400 min
    assert "needs 12 h of 10 h" in row and "Overloaded by 2 h" in row  # 4 x 3 h x 1
    assert "Fits with 1 teacher fewer, 2 h more a month or 2.5 h cycles" in row
    # The detail behind "More figures".
    assert "1 mastered 1 progressing" in _text(more)
    assert "figure=mastered&amp;" in more
    assert "Planning: 1" in more and "Delivery: 1" in more and "Progress monitoring: 0" in more
    assert "33 more in 100" in more  # (25 + 40) / 2 percentage points
    assert "2.3 h" in more  # (180 + 90) / 2 minutes
    # The arithmetic behind a disclosure, and minutes nowhere.
    how = html[html.index("<summary>How this is worked out</summary>") :]
    assert "Ann Adams: 4 teachers × 3 h a cycle (own average over 3 finished cycles)" in how
    assert not re.search(r"\d+ min\b|minutes", _text(html))
    totals = re.search(r"<th scope=\"row\">All coaches</th>(.*?)</tr>", html, re.S).group(1)
    assert ">6</a>" in totals and "needs 17 h of 70 h" in totals
    # every count links to its list, with the filters
    link = (
        f'href="/dashboard/list/?school={w.school_a.id}&amp;figure=caseload&amp;'
        f'start=2025-06-01&amp;end=2025-06-30&amp;coach={w.ann.pk}"'
    )
    assert link in row
    for figure in ("open_cycles", "off_cadence"):
        assert f"figure={figure}&amp;" in row
    for figure in ("active_cycles", "closed", "mastered"):
        assert f"figure={figure}&amp;" in more
    assert "figure=overdue_revisits&amp;" in row  # T1's revisit due 25 June


def test_filters_change_what_is_shown(client, w):
    delivery = _by_coach(_get(client, w.principal_a, **JUNE, need_area="delivery"))
    only_ben = _by_coach(_get(client, w.principal_a, **JUNE, coach=w.ben.pk))
    april = _get(client, w.principal_a, start="2025-04-01", end="2025-04-30")

    assert (delivery["Ann"].open_cycles, delivery["Ann"].closed_total) == (1, 1)
    assert list(only_ben) == ["Ben"]
    assert _by_coach(april)["Ann"].closed == {"not_yet": 1}
    html = april.content.decode()
    assert 'value="2025-04-01"' in html and "1 Apr 2025 to 30 Apr 2025" in html


def test_default_period_is_the_last_90_days(client, w):
    response = _get(client, w.principal_a)

    filters = response.context["filters"]
    assert (filters.period_start, filters.period_end) == (
        datetime.date(2025, 4, 2),
        datetime.date(2025, 6, 30),
    )
    assert 'value="2025-04-02"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "soon", "end": "2025-06-30"}, "start", "Enter a valid date."),
        ({"start": "2025-06-30", "end": "2025-06-01"}, "end", "must end on or after"),
        ({"start": "0001-01-01", "end": "2025-06-30"}, "start", "between 2000 and 2099"),
        ({"start": "2025-06-01", "end": "9999-12-31"}, "end", "between 2000 and 2099"),
        # An end near year 1 alone: the default start before it was out of range (a 500).
        ({"end": "0001-01-01"}, "end", "between 2000 and 2099"),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "start", "between 2000 and 2099"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "start", "between 2000 and 2099"),
        ({"coach": "not-a-number"}, "coach", "Select a valid choice"),
        ({"need_area": "everything"}, "need_area", "Select a valid choice"),
    ],
)
def test_bad_filter_values_give_a_message_not_a_500(client, w, params, field, message):
    for name in ("dashboard", "district_dashboard"):
        response = _get(client, w.principal_a, name, **params)

        assert response.status_code == 200
        assert message in str(response.context["form"].errors[field])
        html = response.content.decode()
        assert f'id="id_{field}-error"' in html and 'aria-invalid="true"' in html
        assert "the figures below cover the default period" in html
        assert response.context["filters"].period_end == datetime.date(2025, 6, 30)
    listing = _get(
        client, w.principal_a, "dashboard_list", school=w.school_a.id, figure="closed", **params
    )
    assert listing.status_code == 200
    for who, name in ((w.principal_a, "dashboard"), (w.leader, "district_dashboard")):
        exported = _get(client, who, name, format="csv", **params)
        assert exported.status_code == 200, name


def test_coach_select_offers_only_coaches_the_user_leads(client, w):
    response = _get(client, w.principal_a, coach=w.cara.pk)  # Cara coaches at school B

    assert list(response.context["form"].fields["coach"].queryset) == [w.ann, w.ben]
    assert "coach" in response.context["form"].errors
    assert "Cara Cole" not in response.content.decode()


def test_dashboard_csv_has_every_coach_and_the_totals(client, w):
    response = _get(client, w.principal_a, **JUNE, format="csv")

    assert response["Content-Disposition"] == (
        'attachment; filename="dashboard-2025-06-01-to-2025-06-30.csv"'
    )
    header, *rows = _csv(response)
    assert header[:4] == ["School", "Coach", "Caseload", "Open cycles"]
    assert [row[:2] for row in rows] == [
        ["A School", "Ann Adams"],
        ["A School", "Ben Brown"],
        ["A School", "All coaches"],
    ]
    ann = dict(zip(header, rows[0], strict=True))
    assert ann["Caseload"] == "4" and ann["Closed in period"] == "2"
    assert ann["Closed: Mastered"] == "1" and ann["Cadence kept (%)"] == "50"
    assert ann["Direct share (%)"] == "40"
    assert ann["Engagement change (percentage points)"] == "32.5"
    assert (ann["Hours logged"], ann["Hours per completed cycle"]) == ("6.7", "2.3")
    assert ann["Oldest overdue revisit (school days)"] == "3"
    assert (ann["Hours needed a month"], ann["Overloaded"]) == ("12.0", "yes")
    assert dict(zip(header, rows[2], strict=True))["Caseload"] == "6"


def test_dashboard_renders_the_chart_data_for_each_school(client, w):
    response = _get(client, w.leader)

    html = response.content.decode()
    for school in (w.school_a, w.school_b):
        for chart in ("cadence", "time", "need", "engagement"):
            chart_id = f"chart-{chart}-{school.id}"
            assert f'data-chart="{chart_id}" role="img" aria-label="' in html
            assert f'<script id="{chart_id}" type="application/json">' in html
    spec = re.search(
        rf'<script id="chart-cadence-{w.school_a.id}" type="application/json">(.*?)</script>',
        html,
        re.S,
    ).group(1)
    cadence = json.loads(spec)
    assert cadence["type"] == "line"
    assert [d["label"] for d in cadence["datasets"]] == ["Ann Adams", "Ben Brown", "All coaches"]
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/dashboard_charts.js" in html


def test_dashboard_queries_do_not_grow_with_the_data(client, w, settings):
    settings.VERSIONED_CACHE = False  # count the queries of rendering, not of a cached page
    client.force_login(w.leader)
    url = reverse("dashboard") + "?start=2025-06-01&end=2025-06-30"
    client.get(url)  # warm up the session
    figures._grow(w.school_a, coaches=1, teachers_each=2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    figures._grow(w.school_a, coaches=3, teachers_each=6)
    figures._grow(w.school_b, coaches=2, teachers_each=5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert sum(len(s["rows"]) for s in response.context["sections"]) == 3 + 1 + 5
    assert len(large) == len(small)


# --- Who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "district_dashboard", "dashboard_list"])
def test_coaches_and_teachers_are_refused(client, w, name):
    teacher = figures.f.TeacherFactory(school=w.school_a, user=figures.f.UserFactory())
    for user in (w.ann, teacher.user):
        response = _get(client, user, name, school=w.school_a.id, figure="caseload")

        assert response.status_code == 403


def test_a_principal_sees_nothing_of_another_school(client, w):
    dashboard = _get(client, w.principal_a, **JUNE).content.decode()
    district = _get(client, w.principal_a, "district_dashboard", **JUNE).content.decode()
    csv_rows = _csv(_get(client, w.principal_a, **JUNE, format="csv"))

    for html in (dashboard, district):
        assert "A School" in html
        assert "B School" not in html and "Cara Cole" not in html and "T Bee" not in html
    assert all("B School" not in row for row in csv_rows)
    for figure in ("caseload", "closed", "overdue_revisits"):
        response = _get(
            client, w.principal_a, "dashboard_list", school=w.school_b.id, figure=figure, **JUNE
        )
        assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"figure": "notes"}, {"figure": ""}, {"school": "abc"}, {"school": ""}, {"school": "0"}],
)
def test_list_of_an_unknown_figure_or_school_is_not_found(client, w, params):
    query = {"school": w.school_a.id, "figure": "caseload", **params}

    assert _get(client, w.principal_a, "dashboard_list", **query).status_code == 404


# --- The lists behind the figures ----------------------------------------------------------------


def test_list_shows_the_rows_and_links_only_shared_cycles(client, w):
    w.c3.shared_with_principal = True
    w.c3.save()

    response = _get(
        client, w.principal_a, "dashboard_list", school=w.school_a.id, figure="closed", **JUNE
    )

    html = response.content.decode()
    assert [d["row"].teacher for d in response.context["rows"]] == ["T Four", "T Six", "T Three"]
    assert "Mastered" in html and "Progressing" in html and "Not yet" in html
    assert reverse("cycle_detail", args=[w.c3.id]) in html
    assert reverse("cycle_detail", args=[w.c4.id]) not in html
    assert html.count("not shared") == 2
    assert figures.NOTE not in html


def test_list_keeps_the_coach_and_need_area_filters(client, w):
    response = _get(
        client,
        w.principal_a,
        "dashboard_list",
        school=w.school_a.id,
        figure="open_cycles",
        coach=w.ann.pk,
        need_area="planning",
        **JUNE,
    )

    assert [d["row"].teacher for d in response.context["rows"]] == ["T Two"]
    html = response.content.decode()
    assert "Ann Adams" in html and "Planning" in html
    assert f'name="school" value="{w.school_a.id}"' in html  # the filter bar keeps the list


def test_list_csv_has_the_rows_and_the_period_in_its_name(client, w):
    response = _get(
        client,
        w.principal_a,
        "dashboard_list",
        school=w.school_a.id,
        figure="overdue_revisits",
        format="csv",
        **JUNE,
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="overdue_revisits-a-school-2025-06-01-to-2025-06-30.csv"'
    )
    header, *rows = _csv(response)
    assert header[:3] == ["Teacher", "Coach", "Cycle state"]
    assert rows == [
        [
            "T One",
            "Ann Adams",
            "Active",
            "Delivery",
            "",
            "2025-05-20",
            "",
            "2025-06-25",
            "",
            "3",  # school days overdue: 26, 27 and 30 June
            "",  # no reason: the date kept to the rule
        ]
    ]


# --- The district view ---------------------------------------------------------------------------


def test_district_view_sets_schools_side_by_side_with_caseload_against_outcomes(client, w):
    response = _get(client, w.leader, "district_dashboard", **JUNE)

    html = response.content.decode()
    assert [row["sf"].school for row in response.context["rows"]] == [w.school_a, w.school_b]
    assert [row["c"].caseload for row in response.context["rows"]] == [6, 1]
    assert "All schools" in html
    # Ann: 4 teachers, 2 of 2 progressed; Ben: 2, 0 of 1; Cara: 1, 1 of 1
    scatter = json.loads(
        re.search(
            r'<script id="chart-caseload-outcomes" type="application/json">(.*?)</script>',
            html,
            re.S,
        ).group(1)
    )
    assert [(p["x"], p["y"]) for p in scatter["datasets"][0]["data"]] == [
        (4, 100),
        (2, 0),
        (1, 100),
    ]
    assert response.context["correlation"] == pytest.approx(0.19, abs=0.01)
    assert "r = 0.19" in html and "not meaningful" in html
    assert 'data-chart="chart-caseload-outcomes" role="img"' in html


def test_district_csv_gives_the_schools_or_the_points(client, w):
    schools = _get(client, w.leader, "district_dashboard", **JUNE, format="csv")
    points = _get(client, w.leader, "district_dashboard", **JUNE, format="csv", table="points")

    header, *rows = _csv(schools)
    assert header[:3] == ["School", "Coaches", "Caseload"]
    assert [row[:3] for row in rows] == [["A School", "2", "6"], ["B School", "1", "1"]]
    assert "district-schools-2025-06-01-to-2025-06-30" in schools["Content-Disposition"]
    header, *rows = _csv(points)
    assert header == [
        "School",
        "Coach",
        "Caseload",
        "Closed in period",
        "Mastered or progressing (%)",
        "Cadence kept (%)",
    ]
    assert rows == [
        ["A School", "Ann Adams", "4", "2", "100", "50"],
        ["A School", "Ben Brown", "2", "1", "0", "50"],
        ["B School", "Cara Cole", "1", "1", "100", "100"],  # visited 3 June
    ]


# --- Read in a minute: the summary, hours, plain words, the help page, dates on axes -------------


def _text(html: str) -> str:
    """The page's words, tags and repeated spaces gone."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_summary_on_top_says_who_is_overloaded_by_how_much_and_what_would_fit(client, w):
    html = _get(client, w.principal_a, **JUNE).content.decode()

    summary = _text(html[: html.index('aria-label="Filter the figures"')])  # above the filters
    assert (
        "Ann Adams : the caseload needs about 12 h a month against the 10 h available, 2 h over."
        " It would fit with 1 teacher fewer, 2 h more a month, or cycles of 2.5 h instead of 3 h."
    ) in summary
    assert "1 revisit is overdue by 3 school days (Ann Adams)." in summary
    assert "Cadence kept for 3 of 6 teachers: seen in the last 4 school weeks (since 2 Jun" in (
        summary
    )
    assert "Ann Adams spent 40% of logged time with teachers, below the 60–80% aim." in summary
    assert "Ben Brown :" not in summary  # 5 h of 60 h


def test_summary_counts_several_overdue_revisits_and_the_oldest(client, w):
    # Ben's revisit for T5 due Friday 13 June: 16-20, 23-27 and 30 June since.
    Revisit.objects.filter(cycle__teacher__last_name="Five").update(due_on=JUNE_13)

    summary = _text(_get(client, w.leader, **JUNE).content.decode())

    assert (
        "2 revisits are overdue , the oldest by 11 school days: Ann Adams (A School) 1, "
        "Ben Brown (A School) 1."
    ) in summary


def test_dashboard_and_district_view_give_time_in_hours_never_minutes(client, w):
    for name in ("dashboard", "district_dashboard"):
        text = _text(_get(client, w.leader, name, **JUNE).content.decode())

        assert "of 6.7 h logged" in text or "of 8.3 h logged" in text  # 400 or 500 minutes
        assert "2.3 h" in text  # 135 minutes a finished cycle
        assert not re.search(r"\d+ min\b|minutes", text)


def test_help_page_holds_the_research_the_dashboards_do_not(client, w):
    help_page = _get(client, w.principal_a, "dashboard_help")
    dashboard = _get(client, w.principal_a, **JUNE).content.decode()
    district = _get(client, w.leader, "district_dashboard", **JUNE).content.decode()

    assert help_page.status_code == 200
    text = _text(help_page.content.decode())
    assert "<title>About these figures" in help_page.content.decode()
    for citation in ("Deussen", "Reading First", "Kane & Rosenquist", "Kraft, Blazar & Hogan"):
        assert citation in text
        assert citation not in _text(dashboard) and citation not in _text(district)
    help_link = f'href="{reverse("dashboard_help")}"'
    assert help_link in dashboard and help_link in district
    assert "<summary>How this is worked out</summary>" in dashboard
    assert _get(client, w.ann, "dashboard_help").status_code == 403  # a coach


def test_chart_axis_dates_are_written_as_a_person_writes_them(client, w):
    html = _get(client, w.principal_a, **JUNE).content.decode()

    spec = json.loads(
        re.search(
            rf'<script id="chart-cadence-{w.school_a.id}" type="application/json">(.*?)</script>',
            html,
            re.S,
        ).group(1)
    )
    assert spec["labels"] == ["2 Jun", "9 Jun", "16 Jun", "23 Jun", "30 Jun"]
    assert not re.search(r"\d{4}-\d\d-\d\d", json.dumps(spec))


def test_list_of_overdue_revisits_shows_the_coachs_reason_for_a_date_off_the_rule(client, w):
    Revisit.objects.filter(cycle=w.c1).update(off_rule_reason="Teacher on a course until then")

    html = _get(
        client,
        w.principal_a,
        "dashboard_list",
        school=w.school_a.id,
        figure="overdue_revisits",
        **JUNE,
    ).content.decode()

    row = re.search(r"<th scope=\"row\">T One</th>(.*?)</tr>", html, re.S).group(1)
    assert "Teacher on a course until then" in row
    assert "3 school days" in _text(row)


@pytest.mark.parametrize(("has_break", "seen"), [(True, "1 of 1"), (False, "0 of 1")])
def test_a_two_week_break_does_not_show_as_missed_cadence(client, time_machine, has_break, seen):
    f, september = figures.f, datetime.date(2025, 9, 1)
    school = f.SchoolFactory(name="Winter School", time_zone="America/New_York")
    principal = f.MembershipFactory(role=Role.PRINCIPAL, school=school).user
    coach = f.UserFactory(first_name="Wyn", last_name="Ter")
    f.MembershipFactory(user=coach, school=school)
    teacher = f.TeacherFactory(school=school)
    f.CaseloadAssignmentFactory(coach=coach, teacher=teacher, started_on=september)
    cycle = f.CoachingCycleFactory(teacher=teacher, coach=coach, opened_on=september)
    f.CoachingSessionFactory(
        cycle=cycle, held_at=datetime.datetime(2025, 12, 8, 12, tzinfo=NOON.tzinfo)
    )
    if has_break:
        NonSchoolDay.objects.create(
            school=school,
            starts_on=datetime.date(2025, 12, 22),
            ends_on=datetime.date(2026, 1, 2),
            name="Winter break",
        )
    # 14 January: 37 days after the session; 17 school days with the break, 27 without it.
    time_machine.move_to(datetime.datetime(2026, 1, 14, 12, tzinfo=NOON.tzinfo), tick=False)

    text = _text(_get(client, principal).content.decode())

    assert f"Cadence kept for {seen} teacher" in text


def test_district_link_in_the_navigation_is_for_district_roles_only(client, w):
    leader = _get(client, w.leader).content.decode()
    principal = _get(client, w.principal_a).content.decode()

    assert f'href="{reverse("district_dashboard")}"' in leader
    assert f'href="{reverse("district_dashboard")}"' not in principal
