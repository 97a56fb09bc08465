"""The exports' selectors (dashboards/exports.py): which rows each role gets for a period, the
period's bounds (both days included, school dates), and no confidential text.

The world (also used by test_views_exports): district D with schools A (New York) and B (Los
Angeles), district E with school C. Coaches: Ann and Ben at A, Cara at B, Dee at C, and Fred
whose coach role at A has ended. Ann's teacher T1 signs in. Every confidential text planted
starts with SECRET. The period is June 2025."""

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest

from coaching.models import CycleState, NeedArea, Outcome, SessionKind, TimeCategory
from dashboards import exports
from dashboards.exports import (
    CYCLE_HEADER,
    OBSERVATION_HEADER,
    TIME_ENTRY_HEADER,
    PeriodPreset,
    export_for,
    export_kinds,
    export_schools,
    preset_period,
)
from teachers.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
JUNE = (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))
EVIL = '=HYPERLINK("http://evil.example")'


def day(month: int, d: int) -> datetime.date:
    return datetime.date(2025, month, d)


def _secret(what: str) -> str:
    return f"SECRET {what}"


def _teacher(school, coach, last_name, **kwargs):
    teacher = f.TeacherFactory(school=school, last_name=last_name, **kwargs)
    f.CaseloadAssignmentFactory(coach=coach, teacher=teacher, started_on=day(1, 1))
    return teacher


def _cycle(teacher, coach, opened, *, closed=None, outcome=Outcome.MASTERED):
    """A cycle with every confidential text planted: assessment, agreed move, a held session
    with a debrief, a reflection and a persistent problem."""
    problem = f.PersistentProblemFactory(teacher=teacher, statement=_secret("problem statement"))
    cycle = f.CoachingCycleFactory(
        teacher=teacher,
        coach=coach,
        opened_on=opened,
        assessment__assessed_on=opened,
        assessment__evidence=_secret("assessment evidence"),
        assessment__rationale=_secret("assessment rationale"),
        assessment__need_area=NeedArea.DELIVERY,
        persistent_problem=problem,
        **(
            {"state": CycleState.CLOSED, "outcome": outcome, "closed_on": closed}
            if closed
            else {"state": CycleState.ACTIVE}
        ),
    )
    f.AgreedMoveFactory(
        cycle=cycle,
        move__name=f"Mini whiteboards {cycle.teacher.last_name}",
        next_day_action=_secret("next-day action"),
        script=_secret("script"),
        success_indicator=_secret("success indicator"),
        due_on=opened + datetime.timedelta(days=2),
    )
    session = f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=datetime.datetime.combine(opened, datetime.time(15), NY),
        notes=_secret("session notes"),
    )
    f.DebriefFactory(
        session=session,
        students_showed=_secret("students showed"),
        next_step=_secret("next step"),
        teacher_reflection=_secret("teacher reflection"),
    )
    f.ReflectionFactory(
        cycle=cycle, students_did=_secret("reflection"), would_change=_secret("would change")
    )
    return cycle


def _visit(teacher, observer, when, *, cycle=None, started=True, ended=True):
    observation = f.ObservationFactory(
        teacher=teacher,
        observer=observer,
        cycle=cycle,
        focus=_secret("observation focus"),
        started_at=when if started else None,
        scheduled_for=None if started else when,
        ended_at=when + datetime.timedelta(minutes=40) if started and ended else None,
    )
    f.ObservationNoteFactory(observation=observation, text=_secret("observation note"))
    f.StudentEvidenceFactory(observation=observation, description=_secret("student evidence"))
    f.EngagementSampleFactory(observation=observation, engaged_count=17, present_count=23)
    f.EngagementSampleFactory(observation=observation, engaged_count=21, present_count=23)
    return observation


def _time(coach, school, when, minutes, category=TimeCategory.DIRECT_COACHING, **kwargs):
    return f.TimeEntryFactory(
        coach=coach,
        school=school,
        entry_date=when,
        minutes=minutes,
        category=category,
        note=_secret("time note"),
        **kwargs,
    )


@dataclass
class World:
    school_a: object
    school_b: object
    school_c: object
    ann: object
    ben: object
    cara: object
    dee: object
    fred: object
    principal_a: object
    principal_b: object
    leader: object
    teacher: object  # T1's sign-in
    superuser: object
    cycles: dict
    observations: dict
    entries: dict


@pytest.fixture
def world() -> World:
    d, e = f.DistrictFactory(), f.DistrictFactory()
    school_a = f.SchoolFactory(district=d, name="A School", time_zone="America/New_York")
    school_b = f.SchoolFactory(district=d, name="B School", time_zone="America/Los_Angeles")
    school_c = f.SchoolFactory(district=e, name="C School", time_zone="America/New_York")
    ann = f.UserFactory(first_name="Ann", last_name="Adams")
    ben = f.UserFactory(first_name="Ben", last_name="Brown")
    cara = f.UserFactory(first_name="Cara", last_name="Cole")
    dee = f.UserFactory(first_name="Dee", last_name="Dunn")
    fred = f.UserFactory(first_name="Fred", last_name="Former")
    f.MembershipFactory(user=fred, school=school_a, is_active=False)
    principal_a = f.MembershipFactory(role=Role.PRINCIPAL, school=school_a).user
    principal_b = f.MembershipFactory(role=Role.PRINCIPAL, school=school_b).user
    leader = f.MembershipFactory(district_wide=True, district=d).user
    teacher_user = f.UserFactory(first_name="Tess", last_name="One")

    t1 = _teacher(school_a, ann, "One", first_name="Tess", user=teacher_user)
    f.MembershipFactory(user=teacher_user, school=school_a, role=Role.TEACHER)
    t2 = _teacher(school_a, ann, "Two")
    t3 = _teacher(school_a, ben, "Three", first_name=EVIL)
    t4 = _teacher(school_b, cara, "Four")
    t5 = _teacher(school_c, dee, "Five")

    cycles = {
        "c1": _cycle(t1, ann, day(6, 1)),
        "c2_may": _cycle(t2, ann, day(5, 1), closed=day(5, 31)),  # closed the day before
        "c2_july": _cycle(t2, ann, day(7, 1)),  # opened the day after
        "c3_old": _cycle(t3, ben, day(4, 1), closed=day(6, 1), outcome=Outcome.NOT_YET),
        "c3": _cycle(t3, ben, day(6, 30)),  # opened on the last day
        "c4": _cycle(t4, cara, day(6, 10)),
        "c5": _cycle(t5, dee, day(6, 10)),
    }
    c1 = cycles["c1"]
    observations = {
        "o1": _visit(t1, ann, datetime.datetime(2025, 6, 15, 10, tzinfo=NY), cycle=c1),
        # 23:50 on 31 May in New York is already 1 June in UTC: May at the school.
        "o_may": _visit(t1, ann, datetime.datetime(2025, 5, 31, 23, 50, tzinfo=NY)),
        # 00:10 on 1 July in New York is still 30 June in Los Angeles and UTC-7: July here.
        "o_july": _visit(t1, ann, datetime.datetime(2025, 7, 1, 0, 10, tzinfo=NY)),
        # 23:30 on 30 June in Los Angeles is 1 July in UTC: June at school B.
        "o_b_edge": _visit(
            t4, cara, datetime.datetime(2025, 6, 30, 23, 30, tzinfo=LA), cycle=cycles["c4"]
        ),
        "o_planned": _visit(t3, ben, datetime.datetime(2025, 6, 20, 9, tzinfo=NY), started=False),
        "o5": _visit(t5, dee, datetime.datetime(2025, 6, 15, 10, tzinfo=NY)),
    }
    entries = {
        "ann_first": _time(ann, school_a, day(6, 1), 45, cycle=c1),
        "ann_last": _time(ann, school_a, day(6, 30), 90, TimeCategory.ADMIN),
        "ann_may": _time(ann, school_a, day(5, 31), 30),
        "ann_july": _time(ann, school_a, day(7, 1), 30),
        "ann_archived": _time(
            ann, school_a, day(6, 10), 75, archived_at=datetime.datetime(2025, 6, 11, tzinfo=NY)
        ),
        "ben": _time(ben, school_a, day(6, 15), 50, TimeCategory.OBSERVATION),
        "cara": _time(cara, school_b, day(6, 15), 55),
        "dee": _time(dee, school_c, day(6, 15), 65),
        "fred": _time(fred, school_a, day(6, 12), 35),
    }
    return World(
        school_a=school_a,
        school_b=school_b,
        school_c=school_c,
        ann=ann,
        ben=ben,
        cara=cara,
        dee=dee,
        fred=fred,
        principal_a=principal_a,
        principal_b=principal_b,
        leader=leader,
        teacher=teacher_user,
        superuser=f.UserFactory(is_superuser=True, is_staff=True),
        cycles=cycles,
        observations=observations,
        entries=entries,
    )


def rows(user, kind, period=JUNE, school=None) -> list[list]:
    return list(
        export_for(user=user, kind=kind, start=period[0], end=period[1], school=school).rows
    )


def cycle_ids(w, user, **kwargs) -> set[str]:
    by_id = {c.pk: name for name, c in w.cycles.items()}
    return {by_id[r[0]] for r in rows(user, "cycles", **kwargs)}


def observation_ids(w, user, **kwargs) -> set[str]:
    by_id = {o.pk: name for name, o in w.observations.items()}
    return {by_id[r[0]] for r in rows(user, "observations", **kwargs)}


def entry_ids(w, user, **kwargs) -> set[str]:
    """Time entries are told apart by their minutes (unique in the world)."""
    by_minutes = {e.minutes: name for name, e in w.entries.items()}
    return {by_minutes[r[5]] for r in rows(user, "time_entries", **kwargs)}


# --- Each role gets exactly its rows ---------------------------------------------------------

EXPECTED_CYCLES = {
    "ann": {"c1"},  # her caseload; c2's cycles are outside June
    "ben": {"c3", "c3_old"},
    "dee": {"c5"},
    "principal_a": {"c1", "c3", "c3_old"},
    "principal_b": {"c4"},
    "leader": {"c1", "c3", "c3_old", "c4"},  # district D: never school C
    "teacher": {"c1"},
    "superuser": {"c1", "c3", "c3_old", "c4", "c5"},
}
EXPECTED_OBSERVATIONS = {
    "ann": {"o1"},
    "ben": {"o_planned"},
    "cara": {"o_b_edge"},
    "principal_a": {"o1", "o_planned"},
    "principal_b": {"o_b_edge"},
    "leader": {"o1", "o_planned", "o_b_edge"},
    "teacher": {"o1"},
    "superuser": {"o1", "o_planned", "o_b_edge", "o5"},
}
EXPECTED_ENTRIES = {
    "ann": {"ann_first", "ann_last"},  # her own; not archived, not May or July
    "ben": {"ben"},
    "dee": {"dee"},
    # The coaches the dashboard counts: not Fred, whose coach role at A has ended.
    "principal_a": {"ann_first", "ann_last", "ben"},
    "principal_b": {"cara"},
    "leader": {"ann_first", "ann_last", "ben", "cara"},
    "teacher": set(),
    "superuser": {"ann_first", "ann_last", "ben", "cara", "dee"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED_CYCLES))
def test_each_role_exports_exactly_the_cycles_it_may_see(world, role):
    assert cycle_ids(world, getattr(world, role)) == EXPECTED_CYCLES[role]


@pytest.mark.parametrize("role", sorted(EXPECTED_OBSERVATIONS))
def test_each_role_exports_exactly_the_observations_it_may_see(world, role):
    assert observation_ids(world, getattr(world, role)) == EXPECTED_OBSERVATIONS[role]


@pytest.mark.parametrize("role", sorted(EXPECTED_ENTRIES))
def test_each_role_exports_exactly_the_time_entries_the_dashboard_counts(world, role):
    assert entry_ids(world, getattr(world, role)) == EXPECTED_ENTRIES[role]


def test_a_coach_no_longer_on_the_caseload_exports_none_of_its_cycles(world):
    """Access follows the caseload: once T1 moves to Ben, Ann exports none of T1's rows."""
    assignment = world.cycles["c1"].teacher.caseload_assignments.get()
    assignment.ended_on = day(6, 20)
    assignment.save()

    assert cycle_ids(world, world.ann) == set()
    assert observation_ids(world, world.ann) == set()
    assert entry_ids(world, world.ann) == {"ann_first", "ann_last"}  # her own time stays hers


def test_inactive_and_anonymous_users_export_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.ann.is_active = False
    for user in (world.ann, AnonymousUser()):
        assert export_kinds(user=user) == []
        for kind in exports.ExportKind.values:
            assert rows(user, kind) == []


def test_a_school_narrows_the_export_to_that_school(world):
    leader = world.leader
    assert cycle_ids(world, leader, school=world.school_b) == {"c4"}
    assert observation_ids(world, leader, school=world.school_b) == {"o_b_edge"}
    assert entry_ids(world, leader, school=world.school_a) == {"ann_first", "ann_last", "ben"}
    # A school outside the user's scope gives nothing (the form does not offer it either).
    assert cycle_ids(world, leader, school=world.school_c) == set()
    assert entry_ids(world, leader, school=world.school_c) == set()


# --- The period ------------------------------------------------------------------------------


def test_the_period_includes_its_first_and_last_day(world):
    """Cycles closed on the first day or opened on the last are in; those closed the day
    before or opened the day after are not (checked by the expected sets above too)."""
    assert cycle_ids(world, world.ben) == {"c3", "c3_old"}
    assert cycle_ids(world, world.ben, period=(day(6, 2), day(6, 29))) == set()
    assert cycle_ids(world, world.ann, period=(day(5, 31), day(7, 1))) == {
        "c1",
        "c2_may",
        "c2_july",
    }
    assert entry_ids(world, world.ann, period=(day(6, 30), day(6, 30))) == {"ann_last"}


def test_observations_fall_on_the_date_at_their_school(world):
    """A visit counts on its school's date: 23:30 on 30 June in Los Angeles is June (already
    July in UTC); 00:10 on 1 July in New York is July (still June in Los Angeles)."""
    assert observation_ids(world, world.cara, period=JUNE) == {"o_b_edge"}
    assert observation_ids(world, world.cara, period=(day(7, 1), day(7, 31))) == set()
    assert observation_ids(world, world.ann, period=(day(7, 1), day(7, 1))) == {"o_july"}
    assert observation_ids(world, world.ann, period=(day(5, 31), day(5, 31))) == {"o_may"}
    edge = next(
        r for r in rows(world.cara, "observations") if r[0] == world.observations["o_b_edge"].pk
    )
    assert (edge[7], edge[8], edge[9]) == (day(6, 30), "23:30", "00:10")


def test_presets_count_from_today():
    today = day(7, 15)
    assert preset_period(PeriodPreset.THIS_MONTH, today=today) == (day(7, 1), day(7, 31))
    assert preset_period(PeriodPreset.LAST_MONTH, today=today) == (day(6, 1), day(6, 30))
    assert preset_period(PeriodPreset.THIS_SCHOOL_YEAR, today=today) == (
        datetime.date(2024, 8, 1),
        datetime.date(2025, 7, 31),
    )
    assert preset_period(PeriodPreset.THIS_SCHOOL_YEAR, today=day(8, 1)) == (
        datetime.date(2025, 8, 1),
        datetime.date(2026, 7, 31),
    )
    assert preset_period(PeriodPreset.LAST_SCHOOL_YEAR, today=today) == (
        datetime.date(2023, 8, 1),
        datetime.date(2024, 7, 31),
    )
    assert preset_period(PeriodPreset.LAST_MONTH, today=datetime.date(2025, 1, 9)) == (
        datetime.date(2024, 12, 1),
        datetime.date(2024, 12, 31),
    )
    assert preset_period(PeriodPreset.THIS_MONTH, today=datetime.date(2024, 2, 10))[1] == (
        datetime.date(2024, 2, 29)
    )


def test_a_reversed_period_is_refused(world):
    with pytest.raises(ValueError):
        export_for(user=world.ann, kind="cycles", start=day(6, 2), end=day(6, 1))


# --- The columns -----------------------------------------------------------------------------


def test_cycle_rows_hold_process_fields(world):
    (row,) = rows(world.ann, "cycles")
    c1 = world.cycles["c1"]
    assert dict(zip(CYCLE_HEADER, row, strict=True)) == {
        "Cycle": c1.pk,
        "School": "A School",
        "Teacher": "Tess One",
        "Coach": "Ann Adams",
        "Need area": "Delivery",
        "Move": "Mini whiteboards One",
        "State": "Active",
        "Outcome": "",
        "Opened": day(6, 1),
        "Closed": None,
        "Move due": day(6, 3),
        "Sessions held": 1,
        "Observations done": 1,
        "Revisits done": 0,
    }
    closed = next(r for r in rows(world.ben, "cycles") if r[0] == world.cycles["c3_old"].pk)
    assert (closed[6], closed[7], closed[9]) == ("Closed", "Not yet", day(6, 1))


def test_observation_rows_hold_counts_not_content(world):
    (row,) = rows(world.ann, "observations")
    assert dict(zip(OBSERVATION_HEADER, row, strict=True)) == {
        "Observation": world.observations["o1"].pk,
        "School": "A School",
        "Teacher": "Tess One",
        "Observer": "Ann Adams",
        "Cycle": world.cycles["c1"].pk,
        "Need area": "Delivery",
        "Move": "Mini whiteboards One",
        "Date": day(6, 15),
        "Start time": "10:00",
        "End time": "10:40",
        "Minutes": 40,
        "Status": "Finished",
        "Notes": 1,
        "Student evidence": 1,
        "Engagement sweeps": 2,
    }
    (planned,) = rows(world.ben, "observations")
    assert (planned[8], planned[9], planned[10], planned[11]) == ("09:00", None, None, "Scheduled")


def test_time_entry_rows_hold_minutes_and_hours(world):
    got = rows(world.ann, "time_entries")
    assert [dict(zip(TIME_ENTRY_HEADER, r, strict=True)) for r in got] == [
        {
            "Date": day(6, 1),
            "School": "A School",
            "Coach": "Ann Adams",
            "Category": "Direct coaching",
            "Direct": True,
            "Minutes": 45,
            "Hours": 0.75,
            "Logged by": "By hand",
        },
        {
            "Date": day(6, 30),
            "School": "A School",
            "Coach": "Ann Adams",
            "Category": "Admin",
            "Direct": False,
            "Minutes": 90,
            "Hours": 1.5,
            "Logged by": "By hand",
        },
    ]


@pytest.mark.parametrize("role", sorted(EXPECTED_CYCLES))
def test_no_confidential_text_in_any_export(world, role):
    """Not even for the coach and the teacher, who may read it: exports hold process data."""
    user = getattr(world, role)
    for kind in exports.ExportKind.values:
        for row in rows(user, kind):
            assert not any("SECRET" in str(cell) for cell in row), (kind, row)


def test_export_kinds_and_schools_follow_the_roles(world):
    assert export_kinds(user=world.teacher) == ["cycles", "observations"]
    assert export_kinds(user=world.ann) == ["cycles", "observations", "time_entries"]
    assert export_kinds(user=world.principal_a)[-1] == "time_entries"
    assert list(export_schools(user=world.leader)) == [world.school_a, world.school_b]
    assert list(export_schools(user=world.ann)) == [world.school_a]
    assert list(export_schools(user=world.teacher)) == []
