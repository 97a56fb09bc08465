"""The coaching jobs on a real Celery worker process (the run's session worker, on the
configured broker, reading the test database): briefs built ahead of a debrief and rebuilt after
new evidence, the revisit job, the reminder job and the brief sweep, each run twice where running
twice must change nothing. The worker keeps its own clock and settings, so the data is built
around the real time."""

import datetime
import time
import zoneinfo
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import transaction
from django.utils import timezone

from coaching import services
from coaching.models import (
    ContextBrief,
    CycleState,
    Revisit,
    RevisitStatus,
    SessionKind,
)
from coaching.tasks import context_briefs_sweep, revisits_schedule
from core.models import JobRun
from notifications.models import Reminder, ReminderKind
from notifications.tasks import reminders_send
from observations.models import EvidenceKind, Phase
from observations.services import observation_add_evidence, observation_add_sweep
from tests import factories as f

pytestmark = pytest.mark.worker

TIMEOUT = 60  # seconds a job may take to reach the worker and finish
T = TypeVar("T")


def _wait_for(worker, what: str, found: Callable[[], T | None]) -> T:
    """Poll the database until the worker has done ``what``."""
    deadline = time.monotonic() + TIMEOUT
    while (value := found()) is None:
        if worker.process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"The worker did not {what} in {TIMEOUT}s:\n{worker.log()}", pytrace=False)
        time.sleep(0.2)
    return value


def _log_since(worker, mark: int) -> str:
    return "".join(worker.output[mark:])


def _debrief(cycle, *, in_hours: float):
    return f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=None,
        duration_minutes=None,
        scheduled_for=timezone.now() + datetime.timedelta(hours=in_hours),
    )


# --- Context briefs ---------------------------------------------------------------------------


def test_scheduling_a_debrief_has_the_worker_build_and_store_its_brief(celery_worker):
    agreed = f.AgreedMoveFactory()
    cycle = agreed.cycle
    mark = len(celery_worker.output)

    # An hour away, well inside BRIEF_LEAD_HOURS: the build is due at once.
    session = services.session_log(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        scheduled_for=timezone.now() + datetime.timedelta(hours=1),
    )

    brief = _wait_for(
        celery_worker,
        "store the brief",
        lambda: ContextBrief.objects.filter(cycle=cycle).first(),
    )
    # The worker logs after its commit, and its output reaches us through a pipe: wait for it.
    built = f"Context brief for cycle {cycle.pk}: built"
    _wait_for(
        celery_worker, "log the build", lambda: built in _log_since(celery_worker, mark) or None
    )
    assert brief.session_id == session.pk
    assert brief.build_count == 1
    assert brief.is_stale is False
    assert brief.content["teacher"] == cycle.teacher.full_name
    assert brief.content["move"]["next_day_action"] == agreed.next_day_action
    assert {"kind": "Debrief", "when": session.scheduled_for.isoformat()} in brief.content[
        "open_commitments"
    ]


def test_new_evidence_marks_the_stored_brief_stale_and_the_worker_rebuilds_it(
    celery_worker, settings
):
    settings.BRIEF_REBUILD_DELAY_SECONDS = 0  # the countdown is set here, when it is queued
    cycle = f.AgreedMoveFactory().cycle
    observation = f.ObservationFactory(cycle=cycle)
    brief = services.context_brief_build(cycle=cycle)
    assert brief.content["latest_evidence"] == []
    said = "“Three quarters is six eighths because each quarter splits in two.”"

    with transaction.atomic():  # the rebuild is queued when this commits
        observation_add_evidence(observation=observation, kind=EvidenceKind.SAID, description=said)
        observation_add_sweep(
            observation=observation, phase=Phase.AFTER_MOVE, engaged_count=22, present_count=25
        )
        marked = ContextBrief.objects.get(pk=brief.pk)
        assert marked.is_stale is True
        assert marked.changed_at is not None

    rebuilt = _wait_for(
        celery_worker,
        "rebuild the stale brief",
        lambda: ContextBrief.objects.filter(pk=brief.pk, is_stale=False, build_count=2).first(),
    )
    assert rebuilt.built_at > marked.changed_at
    assert rebuilt.content["latest_evidence"] == [{"kind": "Said", "description": said}]
    assert rebuilt.content["latest_engagement"]["after_pct"] == 88


def test_brief_sweep_on_the_worker_builds_briefs_for_the_next_days_debriefs_without_a_fresh_one(
    celery_worker,
):
    no_brief = f.AgreedMoveFactory().cycle
    no_brief_debrief = _debrief(no_brief, in_hours=3)
    stale = f.AgreedMoveFactory().cycle
    stale_debrief = _debrief(stale, in_hours=20)
    fresh = f.CoachingCycleFactory()
    _debrief(fresh, in_hours=2)
    later = f.CoachingCycleFactory()
    _debrief(later, in_hours=30)
    # Briefs last: a brief that exists is marked stale by any change to its cycle.
    f.ContextBriefFactory(cycle=stale, is_stale=True, build_count=1, content={"old": True})
    kept = f.ContextBriefFactory(cycle=fresh, build_count=1)

    result = context_briefs_sweep.delay().get(timeout=TIMEOUT)

    assert result == {"queued": 2}
    built = _wait_for(
        celery_worker,
        "build the swept briefs",
        lambda: ContextBrief.objects.filter(cycle=no_brief).first(),
    )
    rebuilt = _wait_for(
        celery_worker,
        "rebuild the stale brief",
        lambda: ContextBrief.objects.filter(cycle=stale, build_count=2).first(),
    )
    assert built.session_id == no_brief_debrief.pk
    assert built.content["move"]["next_day_action"] == no_brief.agreed_move.next_day_action
    assert rebuilt.session_id == stale_debrief.pk
    assert rebuilt.is_stale is False
    assert "old" not in rebuilt.content
    kept.refresh_from_db()
    assert kept.build_count == 1
    assert not ContextBrief.objects.filter(cycle=later).exists()
    run = JobRun.objects.get(name="context briefs")
    assert (run.runs, run.last_result) == (1, {"queued": 2})


# --- Revisit scheduling -----------------------------------------------------------------------


def test_revisit_job_on_the_worker_schedules_an_active_cycles_revisit_once(celery_worker):
    active = f.CoachingCycleFactory(state=CycleState.ACTIVE)
    f.CoachingCycleFactory()  # planned: the move is not under way yet

    first = revisits_schedule.delay().get(timeout=TIMEOUT)
    second = revisits_schedule.delay().get(timeout=TIMEOUT)

    assert first == {"scheduled": 1, "missed": 0}
    assert second == {"scheduled": 0, "missed": 0}
    revisit = Revisit.objects.get()
    assert revisit.cycle_id == active.pk
    assert revisit.status == RevisitStatus.SCHEDULED
    # No session or visit yet: 14 days (a new move) from the day the cycle opened.
    assert revisit.due_on == active.opened_on + datetime.timedelta(days=14)
    run = JobRun.objects.get(name="revisit scheduling")
    assert (run.runs, run.last_result) == (2, second)
    assert run.last_finished_at >= run.last_started_at


# --- Email reminders --------------------------------------------------------------------------


def _zone_where_it_is(hour: int) -> str:
    """A time zone (Etc/GMT±N) where the local time is now between ``hour``:00 and
    ``hour``:59: the worker reads the real clock, so the school is put where the hour fits."""
    offset = (hour - timezone.now().astimezone(datetime.UTC).hour) % 24
    if offset > 14:
        offset -= 24  # zones run from UTC-12 to UTC+14
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/GMT-5 is UTC+5


def _move_due_tomorrow(school, email: str, **teacher_fields):
    today = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(school.time_zone)).date()
    teacher = f.TeacherFactory(school=school, email=email, **teacher_fields)
    return f.AgreedMoveFactory(
        cycle=f.CoachingCycleFactory(teacher=teacher),
        due_on=today + datetime.timedelta(days=1),
    )


def test_reminder_job_on_the_worker_mails_tomorrows_move_in_the_evening_once(celery_worker):
    evening = f.SchoolFactory(time_zone=_zone_where_it_is(20))
    morning = f.SchoolFactory(time_zone=_zone_where_it_is(9))
    agreed = _move_due_tomorrow(evening, "lee@example.org")
    _move_due_tomorrow(evening, "gone@example.org", is_active=False)
    _move_due_tomorrow(morning, "early@example.org")  # not 17:00 there yet

    first = reminders_send.delay().get(timeout=TIMEOUT)
    sent = Reminder.objects.get()
    second = reminders_send.delay().get(timeout=TIMEOUT)

    assert first == {
        ReminderKind.MOVE_TOMORROW: 1,
        ReminderKind.DEBRIEF_BRIEF: 0,
        ReminderKind.REVISIT_OVERDUE: 0,
        ReminderKind.WEEKLY_DIGEST: 0,
    }
    assert second[ReminderKind.MOVE_TOMORROW] == 0
    assert (sent.kind, sent.email, sent.key) == (
        ReminderKind.MOVE_TOMORROW,
        "lee@example.org",
        f"move:{agreed.pk}:{agreed.due_on.isoformat()}",
    )
    assert sent.sent_at is not None
    assert list(Reminder.objects.values_list("pk", "sent_at")) == [(sent.pk, sent.sent_at)]
    assert JobRun.objects.get(name="email reminders").runs == 2
