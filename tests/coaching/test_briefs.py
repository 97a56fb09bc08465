"""Context briefs in process (the worker runs them in tests/coaching/test_tasks.py): built and
stored in one row per cycle, rebuilt only when stale or older than the request, marked stale by
new evidence and plans (one rebuild queued on commit, not one per entry), queued ahead of a
debrief and by the sweep, and holding exactly what the coach needs before a debrief."""

import datetime
import functools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching import selectors
from coaching.models import CoachingCycle, ContextBrief, CycleState, SessionKind
from coaching.selectors import context_brief_assemble, debriefs_needing_brief
from coaching.services import (
    context_brief_build,
    context_brief_ensure,
    context_briefs_sweep,
    debrief_record,
    session_log,
    session_update,
)
from observations.models import EvidenceKind, Phase
from observations.services import (
    observation_add_evidence,
    observation_add_note,
    observation_add_sweep,
)
from teachers.models import Disposition, Orientation, TimeFocus
from teachers.services import teacher_profile_update
from tests import factories as f

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BUILD_TASK = "coaching.tasks.context_brief_build"
NOW = datetime.datetime(2026, 3, 2, 14, tzinfo=UTC)


def _builds(callbacks) -> list[tuple[tuple, dict, dict]]:
    """The brief builds queued on commit, as (args, kwargs, options) of the task call."""
    queued = []
    for callback in callbacks:
        if not isinstance(callback, functools.partial):
            continue
        method = callback.func
        if getattr(getattr(method, "__self__", None), "name", None) != BUILD_TASK:
            continue
        if method.__name__ == "apply_async":
            args, kwargs = callback.args
            queued.append((tuple(args), dict(kwargs), dict(callback.keywords)))
        else:  # delay
            queued.append((tuple(callback.args), dict(callback.keywords), {}))
    return queued


def _debrief(cycle, at: datetime.datetime, held_at: datetime.datetime | None = None):
    return f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=held_at,
        duration_minutes=None,
        scheduled_for=at,
    )


@pytest.fixture
def cycle():
    """An active cycle with its move, one visit under way and a held debrief not yet recorded."""
    agreed = f.AgreedMoveFactory(cycle__state=CycleState.ACTIVE)
    cycle = agreed.cycle
    f.ObservationFactory(cycle=cycle)
    f.CoachingSessionFactory(cycle=cycle, kind=SessionKind.DEBRIEF, held_at=timezone.now())
    return cycle


@pytest.fixture
def brief(cycle) -> ContextBrief:
    """The cycle's brief, built once and fresh (after all of the cycle's set-up)."""
    return context_brief_build(cycle=cycle)


# --- Build and ensure --------------------------------------------------------------------------


def test_context_brief_build_stores_the_assembled_brief_once_per_cycle(cycle):
    before = timezone.now()

    brief = context_brief_build(cycle=cycle)

    stored = ContextBrief.objects.get(cycle=cycle)
    assert stored.pk == brief.pk
    assert stored.content == context_brief_assemble(cycle=cycle)
    assert stored.content["move"]["next_day_action"] == cycle.agreed_move.next_day_action
    assert before <= stored.built_at <= timezone.now()
    assert (stored.build_count, stored.is_stale, stored.session_id) == (1, False, None)

    session = _debrief(cycle, NOW)
    again = context_brief_build(cycle=cycle, session=session)

    assert ContextBrief.objects.filter(cycle=cycle).count() == 1
    stored = ContextBrief.objects.get(cycle=cycle)
    assert stored.pk == again.pk == brief.pk
    assert (stored.build_count, stored.is_stale, stored.session_id) == (2, False, session.pk)
    assert stored.built_at >= brief.built_at


def test_context_brief_ensure_keeps_a_fresh_brief(brief):
    (kept, built) = context_brief_ensure(cycle=brief.cycle, requested_at=brief.built_at)

    assert built is False
    assert kept.pk == brief.pk
    assert ContextBrief.objects.get(pk=brief.pk).build_count == 1


def test_context_brief_ensure_rebuilds_a_stale_brief(brief):
    ContextBrief.objects.filter(pk=brief.pk).update(is_stale=True)

    _, built = context_brief_ensure(cycle=brief.cycle)

    assert built is True
    stored = ContextBrief.objects.get(pk=brief.pk)
    assert (stored.build_count, stored.is_stale) == (2, False)


def test_context_brief_ensure_rebuilds_a_brief_older_than_the_request(brief):
    _, built = context_brief_ensure(
        cycle=brief.cycle, requested_at=brief.built_at + datetime.timedelta(seconds=1)
    )

    assert built is True
    assert ContextBrief.objects.get(pk=brief.pk).build_count == 2


def test_context_brief_ensure_without_a_brief_builds_one(cycle):
    session = _debrief(cycle, NOW)

    brief, built = context_brief_ensure(cycle=cycle, session=session)

    assert built is True
    assert (brief.build_count, brief.session_id) == (1, session.pk)


# --- Stale on change, one rebuild queued on commit ---------------------------------------------


def _observation(cycle):
    return cycle.observations.get()


CHANGES = {
    "engagement sweep": lambda c: observation_add_sweep(
        observation=_observation(c), phase=Phase.AFTER_MOVE, engaged_count=20, present_count=25
    ),
    "student evidence": lambda c: observation_add_evidence(
        observation=_observation(c), kind=EvidenceKind.PRODUCED, description="Worked example."
    ),
    "note": lambda c: observation_add_note(observation=_observation(c), text="Boards up fast."),
    "debrief record": lambda c: debrief_record(
        session=c.sessions.get(kind=SessionKind.DEBRIEF),
        students_showed="21 of 25 boards.",
        next_step="Add a why prompt.",
        indicator_met=True,
    ),
    "teacher profile": lambda c: teacher_profile_update(
        teacher=c.teacher, disposition=Disposition.OVERWHELMED
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_marks_the_brief_stale_and_queues_one_rebuild_on_commit(
    brief, change, django_capture_on_commit_callbacks
):
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change(brief.cycle)

    stored = ContextBrief.objects.get(pk=brief.pk)
    assert stored.is_stale is True
    assert before <= stored.changed_at <= timezone.now()
    assert _builds(callbacks) == [
        ((brief.cycle_id,), {"requested_at": stored.changed_at.isoformat()}, {"countdown": 60})
    ]


def test_a_second_change_while_stale_queues_nothing_more(brief, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as first:
        CHANGES["student evidence"](brief.cycle)
    marked = ContextBrief.objects.get(pk=brief.pk)
    with django_capture_on_commit_callbacks(execute=False) as second:
        CHANGES["engagement sweep"](brief.cycle)
        CHANGES["note"](brief.cycle)

    stored = ContextBrief.objects.get(pk=brief.pk)
    assert len(_builds(first)) == 1
    assert _builds(second) == []
    assert stored.is_stale is True
    assert stored.changed_at >= marked.changed_at  # the latest change is still recorded


def test_a_burst_of_entries_in_one_transaction_queues_one_rebuild(
    brief, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for change in ("engagement sweep", "student evidence", "note"):
            CHANGES[change](brief.cycle)

    assert len(_builds(callbacks)) == 1


def test_a_change_on_another_cycles_observation_leaves_the_brief_alone(
    brief, django_capture_on_commit_callbacks
):
    other = f.AgreedMoveFactory(cycle__state=CycleState.ACTIVE).cycle
    f.ObservationFactory(cycle=other)
    other_brief = context_brief_build(cycle=other)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CHANGES["student evidence"](other)

    assert ContextBrief.objects.get(pk=brief.pk).is_stale is False
    assert ContextBrief.objects.get(pk=brief.pk).changed_at is None
    assert ContextBrief.objects.get(pk=other_brief.pk).is_stale is True
    assert [args for args, _, _ in _builds(callbacks)] == [(other.pk,)]


def test_a_closed_cycles_brief_is_never_marked(django_capture_on_commit_callbacks):
    closed = f.CoachingCycleFactory(closed=True)
    f.ObservationFactory(cycle=closed)
    old_brief = f.ContextBriefFactory(cycle=closed)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CHANGES["student evidence"](closed)
        teacher_profile_update(teacher=closed.teacher, disposition=Disposition.SKEPTICAL)

    stored = ContextBrief.objects.get(pk=old_brief.pk)
    assert (stored.is_stale, stored.changed_at) == (False, None)
    assert _builds(callbacks) == []


def test_a_profile_change_marks_only_the_open_cycles_brief(
    brief, django_capture_on_commit_callbacks
):
    teacher = brief.cycle.teacher
    old = f.CoachingCycleFactory(teacher=teacher, closed=True)
    old_brief = f.ContextBriefFactory(cycle=old)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        teacher_profile_update(teacher=teacher, time_focus=TimeFocus.FUTURE)

    assert ContextBrief.objects.get(pk=brief.pk).is_stale is True
    assert ContextBrief.objects.get(pk=old_brief.pk).is_stale is False
    assert [args for args, _, _ in _builds(callbacks)] == [(brief.cycle_id,)]


def test_creating_a_teacher_touches_no_cycle_or_brief(brief, django_capture_on_commit_callbacks):
    school = brief.cycle.teacher.school
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        f.TeacherFactory(school=school)
    assert not [q["sql"] for q in queries if "coaching_" in q["sql"]]
    assert _builds(callbacks) == []
    assert ContextBrief.objects.get(pk=brief.pk).is_stale is False


# --- Evidence that lands while the brief is assembled ------------------------------------------


def _assemble_with_evidence_landing(monkeypatch, cycle, description: str) -> None:
    """Make the next assembly see the data, then have new evidence committed meanwhile."""
    assemble = selectors.context_brief_assemble

    def assemble_then_evidence(**kwargs):
        content = assemble(**kwargs)
        observation_add_evidence(
            observation=_observation(cycle), kind=EvidenceKind.SAID, description=description
        )
        return content

    monkeypatch.setattr(selectors, "context_brief_assemble", assemble_then_evidence)


def test_evidence_landing_during_a_rebuild_leaves_the_brief_stale(
    brief, monkeypatch, django_capture_on_commit_callbacks
):
    ContextBrief.objects.filter(pk=brief.pk).update(is_stale=True)
    _assemble_with_evidence_landing(monkeypatch, brief.cycle, "Landed mid-build.")

    with django_capture_on_commit_callbacks(execute=False):
        _, built = context_brief_ensure(cycle=brief.cycle)

    stored = ContextBrief.objects.get(pk=brief.pk)
    assert built is True and stored.build_count == 2
    assert "Landed mid-build." not in str(stored.content)
    assert stored.is_stale is True  # so it is built again

    monkeypatch.undo()
    again, built = context_brief_ensure(cycle=brief.cycle)
    assert built is True
    assert again.is_stale is False
    assert "Landed mid-build." in str(again.content)


def test_evidence_landing_during_a_fresh_briefs_rebuild_queues_a_rebuild(
    brief, monkeypatch, django_capture_on_commit_callbacks
):
    _assemble_with_evidence_landing(monkeypatch, brief.cycle, "Landed mid-build.")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        context_brief_build(cycle=brief.cycle)

    assert ContextBrief.objects.get(pk=brief.pk).is_stale is True
    assert [args for args, _, _ in _builds(callbacks)] == [(brief.cycle_id,)]


def test_evidence_landing_during_the_first_build_leaves_the_brief_stale_and_queues_a_rebuild(
    cycle, monkeypatch, django_capture_on_commit_callbacks
):
    _assemble_with_evidence_landing(monkeypatch, cycle, "Landed mid-build.")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        built = context_brief_build(cycle=cycle)

    assert "Landed mid-build." not in str(built.content)
    assert ContextBrief.objects.get(pk=built.pk).is_stale is True
    assert [args for args, _, _ in _builds(callbacks)] == [(cycle.pk,)]


def test_evidence_landing_during_a_stale_briefs_rebuild_queues_one_more_rebuild(
    brief, monkeypatch, django_capture_on_commit_callbacks
):
    ContextBrief.objects.filter(pk=brief.pk).update(is_stale=True)  # its rebuild is running
    _assemble_with_evidence_landing(monkeypatch, brief.cycle, "Landed mid-build.")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        context_brief_build(cycle=brief.cycle)

    assert ContextBrief.objects.get(pk=brief.pk).is_stale is True
    assert [args for args, _, _ in _builds(callbacks)] == [(brief.cycle_id,)]


def test_a_build_that_no_evidence_interrupts_queues_nothing(
    brief, django_capture_on_commit_callbacks
):
    ContextBrief.objects.filter(pk=brief.pk).update(is_stale=True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        context_brief_build(cycle=brief.cycle)

    assert ContextBrief.objects.get(pk=brief.pk).is_stale is False
    assert _builds(callbacks) == []


# --- Which debriefs need a brief (the sweep) ---------------------------------------------------


def _cycle_under_way():
    return f.AgreedMoveFactory(cycle__state=CycleState.ACTIVE).cycle


def test_debriefs_needing_brief_lists_upcoming_debriefs_without_a_fresh_brief():
    no_brief = _cycle_under_way()
    no_brief_debrief = _debrief(no_brief, NOW + datetime.timedelta(hours=3))
    fresh = _cycle_under_way()
    _debrief(fresh, NOW + datetime.timedelta(hours=3))
    stale = _cycle_under_way()
    stale_debrief = _debrief(stale, NOW + datetime.timedelta(hours=20))
    later = _cycle_under_way()
    _debrief(later, NOW + datetime.timedelta(hours=30))
    held = _cycle_under_way()
    _debrief(held, NOW + datetime.timedelta(hours=3), held_at=NOW - datetime.timedelta(hours=1))
    closed = f.CoachingCycleFactory(closed=True)
    _debrief(closed, NOW + datetime.timedelta(hours=3))
    not_a_debrief = _cycle_under_way()
    f.CoachingSessionFactory(
        cycle=not_a_debrief,
        kind=SessionKind.REHEARSAL,
        held_at=None,
        scheduled_for=NOW + datetime.timedelta(hours=3),
    )
    # Two upcoming debriefs of one cycle: listed once, by the earlier.
    twice = _cycle_under_way()
    second = _debrief(twice, NOW + datetime.timedelta(hours=10))
    first = _debrief(twice, NOW + datetime.timedelta(hours=4))
    assert second.pk < first.pk
    # Briefs last: any change to a cycle marks its brief stale.
    f.ContextBriefFactory(cycle=fresh)
    f.ContextBriefFactory(cycle=stale, is_stale=True)

    listed = debriefs_needing_brief(now=NOW)

    assert sorted(s.pk for s in listed) == sorted([no_brief_debrief.pk, stale_debrief.pk, first.pk])
    assert debriefs_needing_brief(now=NOW, hours=2) == []
    assert [s.pk for s in debriefs_needing_brief(now=NOW, hours=31) if s.cycle_id == later.pk]


def test_brief_sweep_queues_one_build_per_listed_debrief_on_commit(
    django_capture_on_commit_callbacks,
):
    cycle = _cycle_under_way()
    session = _debrief(cycle, NOW + datetime.timedelta(hours=3))
    _debrief(cycle, NOW + datetime.timedelta(hours=5))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = context_briefs_sweep(now=NOW)

    assert queued == 1
    assert _builds(callbacks) == [((cycle.pk,), {"session_id": session.pk}, {})]


# --- Scheduling a debrief queues its brief -----------------------------------------------------


@pytest.mark.parametrize(
    ("ahead", "eta"),
    [
        pytest.param(
            datetime.timedelta(hours=12, minutes=30),
            NOW + datetime.timedelta(minutes=30),
            id="in 12h30: built 12 hours before",
        ),
        pytest.param(datetime.timedelta(hours=12), NOW, id="in 12h: built now"),
        pytest.param(datetime.timedelta(hours=2), NOW, id="in 2h: built now"),
    ],
)
def test_scheduling_a_debrief_queues_its_brief_lead_hours_before_it(
    ahead, eta, django_capture_on_commit_callbacks
):
    cycle = _cycle_under_way()

    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        session = session_log(cycle=cycle, kind=SessionKind.DEBRIEF, scheduled_for=NOW + ahead)

    assert _builds(callbacks) == [
        ((cycle.pk,), {"session_id": session.pk, "requested_at": eta.isoformat()}, {"eta": eta})
    ]


def test_the_brief_lead_time_is_a_setting(settings, django_capture_on_commit_callbacks):
    settings.BRIEF_LEAD_HOURS = 2
    cycle = _cycle_under_way()

    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        session_log(
            cycle=cycle,
            kind=SessionKind.DEBRIEF,
            scheduled_for=NOW + datetime.timedelta(hours=2, minutes=20),
        )

    [(_, _, options)] = _builds(callbacks)
    assert options == {"eta": NOW + datetime.timedelta(minutes=20)}


def test_a_debrief_days_ahead_is_left_to_the_sweep(django_capture_on_commit_callbacks):
    """A job waits at most BRIEF_ETA_MAX_SECONDS in the broker: a debrief in 3 days queues
    nothing now; the sweep queues it once it is within BRIEF_SWEEP_HOURS."""
    cycle = _cycle_under_way()
    debrief_at = NOW + datetime.timedelta(days=3)

    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        session = session_log(cycle=cycle, kind=SessionKind.DEBRIEF, scheduled_for=debrief_at)

    assert _builds(callbacks) == []
    assert debriefs_needing_brief(now=NOW) == []
    assert debriefs_needing_brief(now=debrief_at - datetime.timedelta(hours=23)) == [session]


def test_other_sessions_and_held_debriefs_queue_no_brief(django_capture_on_commit_callbacks):
    cycle = _cycle_under_way()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session_log(
            cycle=cycle,
            kind=SessionKind.REHEARSAL,
            scheduled_for=timezone.now() + datetime.timedelta(hours=1),
        )
        session_log(cycle=cycle, kind=SessionKind.DEBRIEF, held_at=timezone.now())

    assert _builds(callbacks) == []


def test_rescheduling_a_debrief_queues_its_brief_for_the_new_time(
    django_capture_on_commit_callbacks,
):
    cycle = _cycle_under_way()
    session = _debrief(cycle, NOW + datetime.timedelta(days=3))
    new_time = NOW + datetime.timedelta(hours=1)

    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        session_update(session=session, scheduled_for=new_time)

    queued = (
        (cycle.pk,),
        {"session_id": session.pk, "requested_at": NOW.isoformat()},
        {"eta": NOW},
    )
    assert queued in _builds(callbacks)


# --- What the brief says -----------------------------------------------------------------------


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 1, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def known_cycle():
    """A skeptical, performance-oriented, future-focused teacher in New York, two visits and
    two debriefs in January 2026, with a rehearsal, a visit and a revisit still ahead."""
    school = f.SchoolFactory(time_zone="America/New_York")
    teacher = f.TeacherFactory(
        school=school,
        first_name="Ada",
        last_name="Byron",
        disposition=Disposition.SKEPTICAL,
        orientation=Orientation.PERFORMANCE,
        time_focus=TimeFocus.FUTURE,
    )
    cycle = f.CoachingCycleFactory(
        teacher=teacher, state=CycleState.ACTIVE, assessment__assessed_on=datetime.date(2026, 1, 5)
    )
    f.AgreedMoveFactory(
        cycle=cycle,
        move__name="Mini whiteboards",
        next_day_action="Boards for the three hinge questions in period 2.",
        script="Everyone, write your answer. Boards up in 3, 2, 1.",
        success_indicator="20 of 25 boards up within 10 seconds.",
        due_on=datetime.date(2026, 1, 6),
    )
    first = f.ObservationFactory(cycle=cycle, started_at=_at(7, 15))
    f.EngagementSampleFactory(
        observation=first, phase=Phase.BEFORE_MOVE, engaged_count=10, present_count=25
    )
    f.EngagementSampleFactory(
        observation=first, phase=Phase.AFTER_MOVE, engaged_count=15, present_count=25
    )
    f.StudentEvidenceFactory(
        observation=first, kind=EvidenceKind.SAID, description="A", noted_at=_at(7, 15, 10)
    )
    f.StudentEvidenceFactory(
        observation=first, kind=EvidenceKind.PRODUCED, description="B", noted_at=_at(7, 15, 20)
    )
    f.DebriefFactory(
        session__cycle=cycle,
        session__held_at=_at(8, 20),
        indicator_met=False,
        next_step="Count down aloud.",
        teacher_reflection="Too rushed.",
    )
    # 2026-01-15 04:00 UTC is still Jan 14 in New York (23:00).
    second = f.ObservationFactory(cycle=cycle, started_at=_at(15, 4))
    f.EngagementSampleFactory(
        observation=second, phase=Phase.BEFORE_MOVE, engaged_count=12, present_count=25
    )
    f.EngagementSampleFactory(
        observation=second, phase=Phase.AFTER_MOVE, engaged_count=20, present_count=25
    )
    f.StudentEvidenceFactory(
        observation=second, kind=EvidenceKind.SAID, description="C", noted_at=_at(15, 4, 10)
    )
    f.StudentEvidenceFactory(
        observation=second,
        kind=EvidenceKind.UNDERSTOOD,
        description="D",
        noted_at=_at(15, 4, 20),
    )
    # 2026-01-16 02:00 UTC is Jan 15, 21:00 in New York.
    f.DebriefFactory(
        session__cycle=cycle,
        session__held_at=_at(16, 2),
        indicator_met=True,
        next_step="Add a why prompt after the boards.",
        teacher_reflection="Calmer today.",
    )
    f.CoachingSessionFactory(
        cycle=cycle, kind=SessionKind.REHEARSAL, held_at=None, scheduled_for=_at(20, 15)
    )
    f.ObservationFactory(cycle=cycle, started_at=None, scheduled_for=_at(21, 15))
    f.RevisitFactory(cycle=cycle, due_on=datetime.date(2026, 1, 29))
    return cycle


def test_the_brief_holds_what_the_coach_needs_before_the_debrief(known_cycle):
    content = context_brief_build(cycle=known_cycle).content

    assert content["teacher"] == "Ada Byron"
    assert content["left_off"] == {
        "date": "2026-01-15",
        "next_step": "Add a why prompt after the boards.",
    }
    assert content["move"] == {
        "name": "Mini whiteboards",
        "next_day_action": "Boards for the three hinge questions in period 2.",
        "script": "Everyone, write your answer. Boards up in 3, 2, 1.",
        "success_indicator": "20 of 25 boards up within 10 seconds.",
        "due_on": "2026-01-06",
    }
    assert content["latest_evidence"] == [
        {"kind": "Said", "description": "C"},
        {"kind": "Understood", "description": "D"},
    ]
    assert content["latest_engagement"] == {
        "date": "2026-01-14",
        "before_pct": 48,
        "after_pct": 80,
        "change_points": 32,
    }
    assert content["patterns"] == {
        "evidence_kinds": {"Said": 2, "Produced": 1, "Understood": 1},
        "recurring_evidence": [{"kind": "Said", "visits": 2, "latest": "C"}],
        "engagement_trend": [
            {"date": "2026-01-07", "after_pct": 60, "before_pct": 40},
            {"date": "2026-01-14", "after_pct": 80, "before_pct": 48},
        ],
        "engagement_direction": "rising",
        "indicator_history": [
            {"date": "2026-01-08", "met": False},
            {"date": "2026-01-15", "met": True},
        ],
    }
    assert content["profile"]["disposition"] == "Skeptical"
    assert content["profile"]["orientation"] == "Performance (wants to look good)"
    assert content["profile"]["time_focus"] == "Future (goals and plans)"
    assert content["profile"]["stance"] == "inquiry"
    assert [r.split(":")[0] for r in content["profile"]["stance_reasons"]] == [
        "Skeptical",
        "Performance-oriented",
    ]
    assert content["profile"]["framing"] == (
        "Tie the move to the goals they have for the unit and the year."
    )
    assert content["open_commitments"] == [
        {"kind": "Rehearsal", "when": _at(20, 15).isoformat()},
        {"kind": "Visit", "when": _at(21, 15).isoformat()},
        {"kind": "Revisit", "when": "2026-01-29"},
    ]
    assert content["last_reflection"] == "Calmer today."


def test_the_brief_of_a_new_cycle_says_there_is_nothing_yet():
    cycle = f.CoachingCycleFactory()

    content = context_brief_build(cycle=cycle).content

    assert content["left_off"] is None
    assert content["move"] is None
    assert content["latest_evidence"] == []
    assert content["latest_engagement"] is None
    assert content["patterns"]["engagement_direction"] is None
    assert content["open_commitments"] == []
    assert content["last_reflection"] == ""


def _cycle_with_visits(count: int) -> CoachingCycle:
    cycle = f.AgreedMoveFactory(cycle__state=CycleState.ACTIVE).cycle
    for day in range(count):
        visit = f.ObservationFactory(
            cycle=cycle, started_at=NOW - datetime.timedelta(days=count - day)
        )
        f.EngagementSampleFactory(observation=visit, phase=Phase.BEFORE_MOVE)
        f.EngagementSampleFactory(observation=visit, phase=Phase.AFTER_MOVE, engaged_count=20)
        f.StudentEvidenceFactory(observation=visit)
    f.DebriefFactory(session__cycle=cycle, indicator_met=True)
    return CoachingCycle.objects.get(pk=cycle.pk)


def test_building_a_brief_takes_as_many_queries_for_30_visits_as_for_3():
    few, many = _cycle_with_visits(3), _cycle_with_visits(30)

    with CaptureQueriesContext(connection) as few_queries:
        context_brief_build(cycle=few)
    with CaptureQueriesContext(connection) as many_queries:
        context_brief_build(cycle=many)

    assert len(many_queries) == len(few_queries)
    assert len(few_queries) <= 20
