"""The caseload's sort and filter, and the teacher page: profile, stance, persistent problems,
current cycle, timeline; who may see and change it; HTMX partials."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CycleState, NeedArea, PersistentProblem, ProblemOfPractice
from coaching.selectors import school_today
from teachers.models import Disposition, Orientation, TimeFocus
from tests.factories import (
    AgreedMoveFactory,
    AssessmentFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    PersistentProblemFactory,
    RevisitFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()


def _names(response) -> list[str]:
    return [row.teacher.full_name for row in response.context["rows"]]


@pytest.fixture
def caseload(school_world):
    """coach1's caseload: t1a (planned cycle, revisit overdue, observed today), t1b (planned
    cycle, revisit in 10 days, observed today), Pia Planner (active planning cycle, never
    touched) and Ned Nocycle (no cycle, never touched)."""
    w = school_world
    RevisitFactory(cycle=w.c1a, due_on=TODAY - datetime.timedelta(days=3))
    RevisitFactory(cycle=w.c1b, due_on=TODAY + datetime.timedelta(days=10))
    planner = TeacherFactory(school=w.school_a, first_name="Pia", last_name="Aaplanner")
    CaseloadAssignmentFactory(coach=w.coach1, teacher=planner)
    CoachingCycleFactory(
        teacher=planner,
        coach=w.coach1,
        state=CycleState.ACTIVE,
        assessment=AssessmentFactory(teacher=planner, coach=w.coach1, need_area=NeedArea.PLANNING),
    )
    nocycle = TeacherFactory(school=w.school_a, first_name="Ned", last_name="Zznocycle")
    CaseloadAssignmentFactory(coach=w.coach1, teacher=nocycle)
    return w, planner, nocycle


def _get_caseload(client, coach, **params):
    client.force_login(coach)
    return client.get(reverse("caseload"), params)


# --- Caseload: filter -----------------------------------------------------------------------


def test_caseload_without_parameters_lists_every_teacher_by_name(client, caseload):
    w, planner, nocycle = caseload

    response = _get_caseload(client, w.coach1)

    teachers = sorted([w.t1a, w.t1b, planner, nocycle], key=lambda t: (t.last_name, t.first_name))
    assert _names(response) == [t.full_name for t in teachers]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"show": "overdue"}, ["t1a"]),
        ({"show": "no_cycle"}, ["nocycle"]),
        ({"show": "off_cadence"}, ["planner", "nocycle"]),
        ({"need": "planning"}, ["planner"]),
        ({"need": "delivery", "show": "overdue"}, ["t1a"]),
        ({"need": "progress_monitoring"}, []),
    ],
)
def test_caseload_filter_keeps_only_matching_teachers(client, caseload, params, expected):
    w, planner, nocycle = caseload
    by_key = {"t1a": w.t1a, "t1b": w.t1b, "planner": planner, "nocycle": nocycle}

    response = _get_caseload(client, w.coach1, **params)

    assert _names(response) == [by_key[k].full_name for k in expected]
    assert response.context["all_count"] == 4


def test_caseload_filter_that_matches_nobody_says_so(client, caseload):
    w, *_ = caseload

    response = _get_caseload(client, w.coach1, need="progress_monitoring")

    assert "No teacher matches these filters." in response.content.decode()


# --- Caseload: sort -------------------------------------------------------------------------


def test_caseload_sorts_by_next_revisit_soonest_first_and_undated_last(client, caseload):
    w, planner, nocycle = caseload

    response = _get_caseload(client, w.coach1, sort="revisit")

    assert _names(response) == [
        w.t1a.full_name,
        w.t1b.full_name,
        planner.full_name,
        nocycle.full_name,
    ]


def test_caseload_sorts_longest_untouched_first(client, caseload):
    w, planner, nocycle = caseload

    response = _get_caseload(client, w.coach1, sort="-touch")

    names = _names(response)
    assert names[:2] == [planner.full_name, nocycle.full_name]  # never touched, by name
    assert set(names[2:]) == {w.t1a.full_name, w.t1b.full_name}  # observed today


def test_caseload_sorts_by_cycle_state_with_no_cycle_last(client, caseload):
    w, planner, nocycle = caseload

    response = _get_caseload(client, w.coach1, sort="state")

    names = _names(response)
    assert set(names[:2]) == {w.t1a.full_name, w.t1b.full_name}  # planned
    assert names[2:] == [planner.full_name, nocycle.full_name]  # active, then none


def test_caseload_sorts_by_name_in_reverse(client, caseload):
    w, *_ = caseload

    ascending = _names(_get_caseload(client, w.coach1, sort="name"))
    descending = _names(_get_caseload(client, w.coach1, sort="-name"))

    assert descending == ascending[::-1]


def test_caseload_ignores_unknown_parameters_instead_of_failing(client, caseload):
    w, *_ = caseload

    response = _get_caseload(client, w.coach1, show="bogus", need="x", sort="drop table")

    assert response.status_code == 200
    assert len(response.context["rows"]) == 4
    assert response.context["filters"] == {"show": "all", "need_area": "", "sort": "name"}


# --- Caseload: page and partial -------------------------------------------------------------


def test_caseload_has_a_filter_bar_that_works_without_javascript(client, caseload):
    w, *_ = caseload

    html = _get_caseload(client, w.coach1, show="overdue").content.decode()

    assert 'method="get"' in html
    assert 'hx-get="/caseload/"' in html and 'hx-push-url="true"' in html
    assert '<select name="show"' in html and '<option value="overdue" selected>' in html
    assert '<label class="form-label small mb-1" for="id_sort">' in html


def test_caseload_htmx_request_gets_the_table_alone(client, caseload):
    w, *_ = caseload
    client.force_login(w.coach1)

    response = client.get(reverse("caseload"), {"show": "overdue"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "caseload/_caseload_table.html"
    assert "<html" not in html and 'id="caseload-table"' in html
    assert w.t1a.full_name in html and w.t1b.full_name not in html
    assert "HX-Request" in response["Vary"]


def test_each_teacher_on_the_caseload_links_to_their_page(client, caseload):
    w, planner, nocycle = caseload

    html = _get_caseload(client, w.coach1).content.decode()

    for teacher in (w.t1a, w.t1b, planner, nocycle):
        assert f'href="{reverse("teacher_detail", args=[teacher.pk])}"' in html


# --- Teacher page: what it shows ------------------------------------------------------------


def test_coach_sees_profile_stance_problem_cycle_and_timeline(client, school_world):
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, move__name="Cold call after wait time")
    PersistentProblemFactory(
        teacher=w.t1a,
        statement="Pupils give up quickly on tricky tasks.",
        category=ProblemOfPractice.ENLISTING_PARTICIPATION,
    )
    PersistentProblemFactory(
        teacher=w.t1a,
        statement="An old, solved problem",
        opened_on=TODAY - datetime.timedelta(days=90),
        resolved_on=TODAY - datetime.timedelta(days=30),
    )
    client.force_login(w.coach1)

    response = client.get(reverse("teacher_detail", args=[w.t1a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{w.t1a.full_name} · Coaching cycles</title>" in html
    assert "Learning (wants to get better)" in html and "Ready" in html
    assert response.context["stance"].kind == "inquiry"
    assert 'Suggested stance: <span class="text-primary">Inquiry</span>' in html
    assert "let them lead the analysis of the evidence" in html
    assert "Pupils give up quickly on tricky tasks." in html
    assert "Enlisting student participation" in html
    assert "An old, solved problem" not in html
    assert "Cold call after wait time" in html
    assert f'href="{reverse("cycle_detail", args=[w.c1a.pk])}"' in html
    assert f'href="{reverse("teacher_profile", args=[w.t1a.pk])}"' in html
    # Timeline: both cycles, the closed one with its outcome, observations with engagement.
    assert "Cycle closed: Progressing" in html
    assert "Engagement 48% → 84%" in html
    assert f'href="{reverse("cycle_detail", args=[w.c1a_old.pk])}"' in html
    assert "Start a cycle" not in html


def test_teacher_without_an_open_cycle_offers_to_start_one(client, school_world):
    w = school_world
    teacher = TeacherFactory(school=w.school_a)
    CaseloadAssignmentFactory(coach=w.coach1, teacher=teacher)
    client.force_login(w.coach1)

    response = client.get(reverse("teacher_detail", args=[teacher.pk]))

    html = response.content.decode()
    assert f'href="{reverse("cycle_start", args=[teacher.pk])}"' in html
    assert "Start a cycle" in html
    assert "No persistent problem agreed yet" in html


@pytest.mark.parametrize("who", ["coach2", "principal_a", "teacher_self", "teacher_other"])
def test_only_the_teachers_coach_can_open_the_teacher_page(client, school_world, who):
    w = school_world
    user = {
        "coach2": w.coach2,
        "principal_a": w.principal_a,
        "teacher_self": w.t1a.user,
        "teacher_other": w.t2a.user,
    }[who]
    client.force_login(user)

    response = client.get(reverse("teacher_detail", args=[w.t1a.pk]))

    assert response.status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_from_the_teacher_page(client, school_world):
    response = client.get(reverse("teacher_detail", args=[school_world.t1a.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Teacher page: profile edit -------------------------------------------------------------


def _profile(**overrides) -> dict:
    data = {
        "subject": "Science",
        "grade_band": "6_8",
        "years_experience": "7",
        "disposition": Disposition.READY,
        "orientation": Orientation.LEARNING,
        "time_focus": TimeFocus.PRESENT,
    }
    return {**data, **overrides}


def test_edit_button_fetches_the_profile_form_as_a_partial(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.get(reverse("teacher_profile", args=[w.t1a.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="profile-section"' in html
    assert 'name="disposition"' in html and 'hx-post="' in html


def test_profile_form_without_htmx_is_a_whole_page(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.get(reverse("teacher_profile", args=[w.t1a.pk]))

    html = response.content.decode()
    assert "<html" in html and 'name="time_focus"' in html
    assert f"<title>Edit profile · {w.t1a.full_name}" in html


def test_saving_the_profile_changes_the_suggested_stance(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(
        reverse("teacher_profile", args=[w.t1a.pk]),
        _profile(disposition=Disposition.OVERWHELMED, time_focus=TimeFocus.FUTURE),
        **HTMX,
    )

    html = response.content.decode()
    w.t1a.refresh_from_db()
    assert response.status_code == 200
    assert w.t1a.disposition == Disposition.OVERWHELMED
    assert w.t1a.subject == "Science" and w.t1a.years_experience == 7
    assert "<html" not in html
    assert 'Suggested stance: <span class="text-primary">Advocacy</span>' in html
    assert "Overwhelmed: name one small, concrete step" in html
    assert "Tie the move to the goals they have" in html
    assert "Profile saved" in html


def test_saving_the_profile_without_htmx_redirects_to_the_teacher_page(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(
        reverse("teacher_profile", args=[w.t1a.pk]),
        _profile(orientation=Orientation.PERFORMANCE),
    )

    w.t1a.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("teacher_detail", args=[w.t1a.pk])
    assert w.t1a.orientation == Orientation.PERFORMANCE
    page = client.get(response.url)
    assert page.context["stance"].kind == "advocacy"


def test_bad_profile_value_shows_a_field_error_and_saves_nothing(client, school_world):
    w = school_world
    before = (w.t1a.subject, w.t1a.disposition, w.t1a.years_experience)
    client.force_login(w.coach1)

    response = client.post(
        reverse("teacher_profile", args=[w.t1a.pk]),
        _profile(disposition="angry", years_experience="99"),
        **HTMX,
    )

    html = response.content.decode()
    w.t1a.refresh_from_db()
    assert response.status_code == 200
    assert (w.t1a.subject, w.t1a.disposition, w.t1a.years_experience) == before
    form = response.context["form"]
    assert "disposition" in form.errors and "years_experience" in form.errors
    assert "Select a valid choice" in html
    assert "Ensure this value is less than or equal to 60" in html
    assert 'Suggested stance: <span class="text-primary">Inquiry</span>' in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_coach_cannot_edit_the_profile(client, school_world, method):
    w = school_world
    client.force_login(w.coach2)

    data = _profile(subject="Hacked") if method == "post" else {}

    response = getattr(client, method)(reverse("teacher_profile", args=[w.t1a.pk]), data)

    w.t1a.refresh_from_db()
    assert response.status_code == 404
    assert w.t1a.subject != "Hacked"


# --- Teacher page: persistent problems ------------------------------------------------------


def test_problem_form_keeps_a_draft(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    html = client.get(reverse("teacher_detail", args=[w.t1a.pk])).content.decode()

    assert f'data-draft-key="problem-open-{w.t1a.pk}"' in html


def test_coach_opens_a_persistent_problem_in_place(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(
        reverse("problem_open", args=[w.t1a.pk]),
        {"statement": "Only the same five pupils answer.", "category": "exposing_student_thinking"},
        **HTMX,
    )

    html = response.content.decode()
    problem = PersistentProblem.objects.get(teacher=w.t1a)
    assert problem.statement == "Only the same five pupils answer."
    assert problem.category == ProblemOfPractice.EXPOSING_STUDENT_THINKING
    assert problem.opened_on == school_today(w.t1a.school)
    assert response.status_code == 200
    assert "<html" not in html and 'id="problems"' in html
    assert "Only the same five pupils answer." in html and "Exposing student thinking" in html


def test_opening_a_problem_without_htmx_redirects_to_the_teacher_page(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(
        reverse("problem_open", args=[w.t1a.pk]),
        {"statement": "Transitions eat ten minutes.", "category": "containing_behavior"},
    )

    assert response.status_code == 302
    assert response.url == reverse("teacher_detail", args=[w.t1a.pk]) + "#problems"
    assert PersistentProblem.objects.filter(teacher=w.t1a).count() == 1


def test_problem_without_a_category_is_refused_next_to_the_field(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.post(
        reverse("problem_open", args=[w.t1a.pk]),
        {"statement": "Only the same five pupils answer.", "category": ""},
        **HTMX,
    )

    assert response.status_code == 200
    assert response.context["problem_form"].errors == {"category": ["This field is required."]}
    assert "Only the same five pupils answer." in response.content.decode()  # kept in the form
    assert not PersistentProblem.objects.filter(teacher=w.t1a).exists()


def test_problem_form_without_htmx_is_a_whole_page(client, school_world):
    w = school_world
    client.force_login(w.coach1)

    response = client.get(reverse("problem_open", args=[w.t1a.pk]))

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert 'name="statement"' in response.content.decode()


def test_another_coach_cannot_open_a_problem_for_the_teacher(client, school_world):
    w = school_world
    client.force_login(w.coach2)

    response = client.post(
        reverse("problem_open", args=[w.t1a.pk]),
        {"statement": "Not mine to say.", "category": "containing_behavior"},
    )

    assert response.status_code == 404
    assert not PersistentProblem.objects.filter(teacher=w.t1a).exists()
