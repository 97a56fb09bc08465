"""The teacher's side of a cycle in services: the structured reflection before a debrief
(linked to the debrief it prepares, editable until that debrief is held, seen in the context
brief) and sharing a cycle with the principal (only by its own teacher)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coaching import selectors
from coaching.access import READ, cycles_for
from coaching.models import (
    CoachingCycle,
    ContextBrief,
    CycleState,
    IndicatorSeen,
    Reflection,
    SessionKind,
)
from coaching.services import (
    context_brief_build,
    context_brief_ensure,
    debrief_conclude,
    debrief_record,
    session_log,
)
from core.page_cache import data_versions, school_scope
from my_move.services import cycle_share_set, reflection_submit
from teachers.school_days import SchoolDays
from tests import factories as f

pytestmark = pytest.mark.django_db

ANSWERS = {
    "students_did": "Nineteen boards showed the full equation; three were blank.",
    "indicator_seen": IndicatorSeen.PARTLY,
    "would_change": "Count down from five, not three.",
}


@pytest.fixture
def cycle(school_world) -> CoachingCycle:
    """t1a's cycle under way (active, its move agreed), with a debrief planned tomorrow."""
    cycle = school_world.c1a
    f.AgreedMoveFactory(cycle=cycle)
    CoachingCycle.objects.filter(pk=cycle.pk).update(state=CycleState.ACTIVE)
    cycle.refresh_from_db()
    return cycle


def _plan_debrief(cycle, days: int = 1):
    return f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=None,
        duration_minutes=None,
        notes="",
        scheduled_for=timezone.now() + datetime.timedelta(days=days),
    )


def _submit(cycle, user=None, **changes):
    return reflection_submit(user=user or cycle.teacher.user, cycle=cycle, **{**ANSWERS, **changes})


# --- Reflection: linked, editable until the debrief, seen in the brief -------------------------


def test_a_reflection_prepares_the_next_scheduled_debrief(cycle):
    later = _plan_debrief(cycle, days=5)
    debrief = _plan_debrief(cycle, days=1)

    reflection = _submit(cycle, engaged_count=19, present_count=25)

    stored = Reflection.objects.get()
    assert stored.pk == reflection.pk
    assert (stored.cycle_id, stored.session_id) == (cycle.pk, debrief.pk)
    assert stored.session_id != later.pk
    assert stored.students_did == ANSWERS["students_did"]
    assert stored.indicator_seen == IndicatorSeen.PARTLY
    assert (stored.engaged_count, stored.present_count, stored.engagement_pct) == (19, 25, 76)


def test_changing_a_reflection_before_the_debrief_keeps_one_row_and_its_history(cycle):
    _plan_debrief(cycle)
    first = _submit(cycle)

    again = _submit(cycle, indicator_seen=IndicatorSeen.YES, would_change="Nothing yet.")

    assert again.pk == first.pk
    stored = Reflection.objects.get()
    assert (stored.indicator_seen, stored.would_change) == (IndicatorSeen.YES, "Nothing yet.")
    assert [h.indicator_seen for h in stored.history.order_by("history_date")] == [
        IndicatorSeen.PARTLY,
        IndicatorSeen.YES,
    ]


def test_once_the_debrief_is_held_the_reflection_stays_and_a_new_one_prepares_the_next(cycle):
    debrief = _plan_debrief(cycle)
    first = _submit(cycle)
    debrief_conclude(
        cycle=cycle,
        students_showed="Boards up.",
        next_step="Add a why prompt.",
        decision="continue",
        revisit_due_on=SchoolDays().add(timezone.localdate(), 10),
        duration_minutes=20,
    )
    cycle.refresh_from_db()
    CoachingCycle.objects.filter(pk=cycle.pk).update(state=CycleState.ACTIVE)
    next_debrief = _plan_debrief(cycle, days=15)

    second = _submit(cycle, students_did="Everyone wrote a why.")

    first.refresh_from_db()
    assert first.session_id == debrief.pk
    assert first.students_did == ANSWERS["students_did"]  # unchanged: its debrief was held
    assert second.pk != first.pk
    assert second.session_id == next_debrief.pk
    assert selectors.reflection_current(cycle=cycle) == second


def test_a_reflection_written_with_no_debrief_planned_waits_and_joins_the_debrief(cycle):
    pending = _submit(cycle)
    assert pending.session_id is None
    assert selectors.reflection_current(cycle=cycle) == pending

    session = f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=timezone.now(),
        duration_minutes=20,
    )
    debrief_record(session=session, students_showed="Boards.", next_step="Why prompt.")

    pending.refresh_from_db()
    assert pending.session_id == session.pk
    assert selectors.reflection_current(cycle=cycle) is None


def test_a_waiting_reflection_is_linked_to_a_debrief_planned_later(cycle):
    pending = _submit(cycle)
    debrief = _plan_debrief(cycle)

    changed = _submit(cycle, would_change="Slower countdown.")

    assert changed.pk == pending.pk
    assert changed.session_id == debrief.pk
    assert Reflection.objects.count() == 1


def test_a_reflection_marks_the_brief_stale_and_the_brief_shows_the_answers(
    cycle, django_capture_on_commit_callbacks
):
    _plan_debrief(cycle)
    brief = context_brief_build(cycle=cycle)
    assert brief.content["reflection"] is None

    with django_capture_on_commit_callbacks(execute=False):
        _submit(cycle, engaged_count=20, present_count=25)

    assert ContextBrief.objects.get(pk=brief.pk).is_stale is True
    rebuilt = context_brief_build(cycle=cycle).content["reflection"]
    assert rebuilt["students_did"] == ANSWERS["students_did"]
    assert rebuilt["indicator_seen_label"] == "Partly"
    assert rebuilt["would_change"] == ANSWERS["would_change"]
    assert (rebuilt["engaged_count"], rebuilt["present_count"], rebuilt["engagement_pct"]) == (
        20,
        25,
        80,
    )
    # The free-text reflection of the last debrief is still there beside it.
    assert "last_reflection" in context_brief_build(cycle=cycle).content


def _hold(session, **answers):
    """The coach holds the planned debrief ``session`` now and records what it concluded."""
    session.held_at = timezone.now()
    session.duration_minutes = 20
    session.save()
    return debrief_record(session=session, students_showed="Boards.", next_step="Why prompt.")


def test_reflection_with_no_debrief_scheduled_is_not_filed_under_the_held_debrief(cycle):
    """After the debrief, with none scheduled, the reflection waits for the next one, and so
    does the brief that shows it: neither is filed under the debrief already held."""
    held = _plan_debrief(cycle)
    assert context_brief_build(cycle=cycle, session=held).session_id == held.pk
    first = _submit(cycle)
    _hold(held)
    assert selectors.cycle_next_debrief(cycle=cycle) is None

    after = _submit(cycle, students_did="Everyone wrote a why.")

    assert after.pk != first.pk and after.session_id is None
    brief, built = context_brief_ensure(cycle=cycle)  # stale: the reflection changed it
    assert built is True
    assert brief.session_id is None  # not the debrief already held
    assert brief.content["reflection"]["students_did"] == "Everyone wrote a why."
    assert brief.content["reflection"]["for_debrief"] is None
    first.refresh_from_db()
    assert first.session_id == held.pk  # the earlier one stays with its debrief


def test_a_reflection_kept_for_the_next_debrief_appears_in_its_brief_and_joins_it(cycle):
    held = _plan_debrief(cycle)
    _hold(held)
    kept = _submit(cycle, students_did="Everyone wrote a why.")

    coming = session_log(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        scheduled_for=timezone.now() + datetime.timedelta(days=12),
    )
    brief, _ = context_brief_ensure(cycle=cycle)

    assert brief.session_id == coming.pk
    assert brief.content["reflection"]["students_did"] == "Everyone wrote a why."
    assert brief.content["reflection"]["for_debrief"] == coming.scheduled_for.isoformat()
    kept.refresh_from_db()
    assert kept.session_id == coming.pk
    CoachingCycle.objects.filter(pk=cycle.pk).update(state=CycleState.ACTIVE)  # the revisit
    _hold(coming)
    kept.refresh_from_db()
    assert kept.session_id == coming.pk and selectors.reflection_current(cycle=cycle) is None


def test_a_reflection_written_after_a_debrief_recorded_late_waits_for_the_next_one(cycle):
    """The coach records, after the teacher reflected, a debrief held before that: the
    reflection was not written for it."""
    pending = _submit(cycle)
    session = f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=pending.submitted_at - datetime.timedelta(hours=3),
        duration_minutes=20,
    )

    debrief_record(session=session, students_showed="Boards.", next_step="Why prompt.")

    pending.refresh_from_db()
    assert pending.session_id is None
    assert selectors.reflection_current(cycle=cycle) == pending


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"engaged_count": 30, "present_count": 25}, "engaged_count"),
        ({"engaged_count": 20}, "present_count"),
        ({"present_count": 25}, "engaged_count"),
        ({"present_count": 0, "engaged_count": 0}, "present_count"),
        ({"indicator_seen": "maybe"}, "indicator_seen"),
        ({"students_did": ""}, "students_did"),
        ({"would_change": ""}, "would_change"),
    ],
)
def test_a_reflection_with_bad_answers_is_refused_and_nothing_saved(cycle, changes, field):
    _plan_debrief(cycle)

    with pytest.raises(ValidationError) as caught:
        _submit(cycle, **changes)

    assert field in caught.value.message_dict
    assert not Reflection.objects.exists()


def test_only_the_cycles_own_teacher_may_reflect(cycle, school_world):
    for user in (school_world.t2a.user, school_world.coach1, school_world.principal_a):
        with pytest.raises(PermissionDenied):
            _submit(cycle, user=user)

    assert not Reflection.objects.exists()
    _submit(cycle)  # the same call by the teacher works
    assert Reflection.objects.count() == 1


def test_a_closed_cycle_or_one_without_a_move_takes_no_reflection(cycle, school_world):
    with pytest.raises(ValidationError, match="closed"):
        _submit(school_world.c1a_old)
    no_move = school_world.c2a  # t2a's cycle: no move agreed yet
    with pytest.raises(ValidationError, match="no agreed move"):
        _submit(no_move)

    assert not Reflection.objects.exists()


# --- Sharing ------------------------------------------------------------------------------------


def test_the_teacher_shares_and_takes_back_and_the_principal_reads_accordingly(school_world):
    w = school_world
    cycle = w.c1a_old  # closed and not shared
    principal_reads = cycles_for(w.principal_a, READ)
    assert not principal_reads.filter(pk=cycle.pk).exists()

    cycle_share_set(user=w.t1a.user, cycle=cycle, shared=True)

    assert CoachingCycle.objects.get(pk=cycle.pk).shared_with_principal is True
    assert principal_reads.filter(pk=cycle.pk).exists()

    cycle_share_set(user=w.t1a.user, cycle=cycle, shared=False)

    assert CoachingCycle.objects.get(pk=cycle.pk).shared_with_principal is False
    assert not principal_reads.filter(pk=cycle.pk).exists()
    history = CoachingCycle.objects.get(pk=cycle.pk).history.order_by("history_date")
    assert [h.shared_with_principal for h in history][-2:] == [True, False]


def test_only_the_cycles_own_teacher_may_share_it(school_world):
    w = school_world
    cycle = w.c1a_old
    for user in (w.t2a.user, w.coach1, w.principal_a, w.district_leader):
        with pytest.raises(PermissionDenied):
            cycle_share_set(user=user, cycle=cycle, shared=True)

    assert CoachingCycle.objects.get(pk=cycle.pk).shared_with_principal is False
    cycle_share_set(user=w.t1a.user, cycle=cycle, shared=True)
    assert CoachingCycle.objects.get(pk=cycle.pk).shared_with_principal is True


def test_sharing_gives_the_school_a_new_data_version(school_world):
    w = school_world
    scope = school_scope(w.school_a.pk)
    before = data_versions(scopes=[scope])

    cycle_share_set(user=w.t1a.user, cycle=w.c1a_old, shared=True)

    assert data_versions(scopes=[scope]) != before


def test_a_planned_cycle_takes_a_reflection_only_once_the_move_has_been_tried(school_world):
    cycle = school_world.c1a  # planned
    agreed = f.AgreedMoveFactory(cycle=cycle, due_on=timezone.localdate() + datetime.timedelta(2))

    with pytest.raises(ValidationError, match="once you have tried the move"):
        _submit(cycle)
    assert not Reflection.objects.exists()

    agreed.due_on = cycle.opened_on
    agreed.save()
    cycle.refresh_from_db()
    assert _submit(cycle).cycle_id == cycle.pk
