"""Reads behind the coach workflow: known inputs, known answers."""

import datetime

import pytest
from django.utils import timezone

from coaching import services
from coaching.models import NeedArea, SessionKind, TimeCategory
from coaching.selectors import (
    context_brief_assemble,
    cycle_overview,
    engagement_change,
    history_rows,
    move_library,
    percent_of,
    percent_points,
    revisit_due_suggest,
)
from observations.models import Phase
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 1, 30)


def test_engagement_change_pools_sweeps_per_phase():
    samples = [
        f.EngagementSampleFactory.build(
            phase=Phase.BEFORE_MOVE, engaged_count=10, present_count=20
        ),
        f.EngagementSampleFactory.build(
            phase=Phase.BEFORE_MOVE, engaged_count=14, present_count=20
        ),
        f.EngagementSampleFactory.build(phase=Phase.AFTER_MOVE, engaged_count=18, present_count=20),
    ]

    change = engagement_change(samples)

    assert change.before == pytest.approx(0.6)  # 24 of 40
    assert change.after == pytest.approx(0.9)  # 18 of 20
    assert (change.before_pct, change.after_pct, change.change_points) == (60, 90, 30)
    assert (change.before_sweeps, change.after_sweeps) == (2, 1)


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        ((197, 500), (393, 500), (39, 79, 40)),  # 39.4% -> 78.6%: unrounded +39.2
        ((393, 500), (197, 500), (79, 39, -40)),
        ((1, 8), (3, 8), (12, 38, 26)),  # 12.5% -> 37.5%: halves to even, as Python's round
        ((13, 25), (13, 25), (52, 52, 0)),
    ],
)
def test_the_shown_change_is_the_difference_of_the_shown_percentages(before, after, shown):
    change = engagement_change(
        [
            f.EngagementSampleFactory.build(
                phase=Phase.BEFORE_MOVE, engaged_count=before[0], present_count=before[1]
            ),
            f.EngagementSampleFactory.build(
                phase=Phase.AFTER_MOVE, engaged_count=after[0], present_count=after[1]
            ),
        ]
    )

    assert (change.before_pct, change.after_pct, change.change_points) == shown
    assert change.as_json()["change_points"] == shown[2]
    assert percent_points(percent_of(*before), percent_of(*after)) == shown[2]


@pytest.mark.parametrize(
    ("part", "whole", "pct"),
    [(197, 500, 39), (393, 500, 79), (1, 8, 12), (3, 8, 38), (5, 8, 62), (33, 200, 16),
     (1, 3, 33), (2, 3, 67), (0, 25, 0), (25, 25, 100), (3, 0, None)],
)  # fmt: skip
def test_a_percent_of_counts_is_the_nearest_whole_one_an_exact_half_to_even(part, whole, pct):
    assert percent_of(part, whole) == pct


def test_engagement_change_without_an_after_sweep_has_no_change():
    change = engagement_change(
        [
            f.EngagementSampleFactory.build(
                phase=Phase.BEFORE_MOVE, engaged_count=5, present_count=10
            )
        ]
    )

    assert change.before_pct == 50
    assert change.after is None and change.change is None


def test_revisit_rule_10_then_15_then_20_school_days():
    cycle = f.CoachingCycleFactory()

    assert revisit_due_suggest(cycle=cycle, indicator_met=False, today=TODAY)[
        0
    ] == TODAY + datetime.timedelta(days=14)
    assert revisit_due_suggest(cycle=cycle, indicator_met=None, today=TODAY)[
        0
    ] == TODAY + datetime.timedelta(days=14)
    assert revisit_due_suggest(cycle=cycle, indicator_met=True, today=TODAY)[
        0
    ] == TODAY + datetime.timedelta(days=21)

    f.DebriefFactory(session__cycle=cycle, indicator_met=True)
    due, reason = revisit_due_suggest(cycle=cycle, indicator_met=True, today=TODAY)

    assert due == TODAY + datetime.timedelta(days=28)
    assert "repeatedly" in reason


def test_revisit_rule_across_a_month_end():
    cycle = f.CoachingCycleFactory()

    due, _ = revisit_due_suggest(cycle=cycle, indicator_met=True, today=datetime.date(2026, 1, 31))

    assert due == datetime.date(2026, 2, 20)  # Sat Jan 31 + 15 school days: a Friday


def test_move_library_filters_by_need_area_and_searches_every_word():
    wanted = f.MoveFactory(
        name="Cold call after wait time", need_area=NeedArea.DELIVERY, looks_like="Pause 3 s."
    )
    f.MoveFactory(name="Cold call roulette", need_area=NeedArea.PLANNING)
    f.MoveFactory(name="Stop and jot", need_area=NeedArea.DELIVERY, looks_like="Write first.")
    f.MoveFactory(name="Retired move", need_area=NeedArea.DELIVERY, is_active=False)

    assert list(move_library(need_area=NeedArea.DELIVERY, query="cold pause")) == [wanted]
    assert move_library(need_area=NeedArea.DELIVERY).count() == 2


def test_cycle_overview_counts_minutes_and_engagement(django_assert_max_num_queries):
    cycle = f.CoachingCycleFactory()
    observation = f.ObservationFactory(cycle=cycle)
    f.EngagementSampleFactory(observation=observation, phase=Phase.BEFORE_MOVE, engaged_count=10)
    f.EngagementSampleFactory(observation=observation, phase=Phase.AFTER_MOVE, engaged_count=20)
    f.TimeEntryFactory(cycle=cycle, coach=cycle.coach, minutes=30)
    f.TimeEntryFactory(cycle=cycle, coach=cycle.coach, minutes=15)
    f.CoachingSessionFactory(cycle=cycle, kind=SessionKind.REHEARSAL)

    with django_assert_max_num_queries(8):
        overview = cycle_overview(cycle=cycle)

    assert overview.minutes == 45
    assert (overview.engagement.before_pct, overview.engagement.after_pct) == (40, 80)
    assert len(overview.sessions) == 1 and overview.observations == [observation]


def test_context_brief_gathers_move_evidence_engagement_profile_and_commitments():
    agreed = f.AgreedMoveFactory(cycle__teacher__disposition="overwhelmed")
    cycle = agreed.cycle
    observation = f.ObservationFactory(cycle=cycle)
    f.EngagementSampleFactory(observation=observation, phase=Phase.BEFORE_MOVE, engaged_count=10)
    f.EngagementSampleFactory(observation=observation, phase=Phase.AFTER_MOVE, engaged_count=15)
    f.StudentEvidenceFactory(observation=observation, kind="said", description="Equal parts!")
    f.DebriefFactory(
        session__cycle=cycle, next_step="Add a why-prompt", teacher_reflection="Felt calmer"
    )
    f.RevisitFactory(cycle=cycle, due_on=TODAY)

    brief = context_brief_assemble(cycle=cycle)

    assert brief["move"]["success_indicator"] == agreed.success_indicator
    assert brief["latest_evidence"] == [{"kind": "Said", "description": "Equal parts!"}]
    assert brief["latest_engagement"]["before_pct"] == 40
    assert brief["latest_engagement"]["change_points"] == 20
    assert brief["left_off"]["next_step"] == "Add a why-prompt"
    assert brief["last_reflection"] == "Felt calmer"
    assert brief["profile"]["stance"] == "advocacy"
    assert brief["patterns"]["indicator_history"][0]["met"] is True
    assert {"kind": "Revisit", "when": TODAY.isoformat()} in brief["open_commitments"]


def test_history_rows_give_the_first_values_then_each_change_newest_first(
    django_assert_num_queries,
):
    cycle = f.CoachingCycleFactory()
    day = datetime.date(2026, 1, 26)
    entry = services.time_entry_log(
        coach=cycle.coach,
        school=cycle.teacher.school,
        minutes=30,
        category=TimeCategory.ADMIN,
        entry_date=day,
        note="Report",
    )
    services.time_entry_correct(entry=entry, minutes=45, cycle=cycle)
    hidden = ("coach", "school", "session", "observation", "created_at")

    with django_assert_num_queries(2):  # the records, and the cycles they name
        changed, created = history_rows(instance=entry, hidden_fields=hidden)

    assert (created.action, created.who) == ("created", None)
    assert [(c.label, c.old, c.new) for c in created.changes] == [
        ("Entry date", "—", "Mon 26 Jan 2026"),
        ("Minutes", "—", "30"),
        ("Category", "—", "Admin"),
        ("Note", "—", "Report"),
    ]
    assert changed.action == "changed"
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("Minutes", "30", "45"),
        ("Cycle", "—", f"{cycle.teacher.full_name}, opened {cycle.opened_on:%d %b %Y}"),
    ]


def test_history_rows_show_changes_of_any_model_with_history():
    cycle = f.CoachingCycleFactory()
    held_at = timezone.make_aware(datetime.datetime(2026, 1, 27, 9, 30))
    session = services.session_log(
        cycle=cycle, kind=SessionKind.REHEARSAL, held_at=held_at, duration_minutes=25, rounds=2
    )
    services.session_update(session=session, duration_minutes=40, notes="x" * 100)

    changed, created = history_rows(instance=session, hidden_fields=("cycle", "created_at"))

    assert [(c.label, c.new) for c in created.changes] == [
        ("Kind", "Rehearsal"),
        ("Held at", "Tue 27 Jan 2026 09:30"),
        ("Duration minutes", "25"),
        ("Rounds of practice", "2"),
        ("Follow-up", "No"),
    ]
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("Duration minutes", "25", "40"),
        ("Notes", "—", "x" * 79 + "…"),
    ]
