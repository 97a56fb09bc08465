"""The teacher's timeline."""

import datetime

import pytest
from django.utils import timezone

from caseload.selectors import teacher_timeline
from observations.models import Phase
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 1, 30)


def test_teacher_timeline_lists_cycles_sessions_and_visits_newest_first():
    teacher = f.TeacherFactory()
    old = f.CoachingCycleFactory(
        teacher=teacher,
        closed=True,
        opened_on=datetime.date(2026, 1, 5),
        assessment__assessed_on=datetime.date(2026, 1, 5),
    )
    f.CoachingSessionFactory(
        cycle=old, held_at=timezone.make_aware(datetime.datetime(2026, 1, 8, 9))
    )
    observation = f.ObservationFactory(
        cycle=old, started_at=timezone.make_aware(datetime.datetime(2026, 1, 12, 10))
    )
    f.EngagementSampleFactory(observation=observation, phase=Phase.BEFORE_MOVE, engaged_count=10)
    f.EngagementSampleFactory(observation=observation, phase=Phase.AFTER_MOVE, engaged_count=20)

    events = teacher_timeline(teacher=teacher)

    kinds = [e.kind for e in events]
    assert kinds == ["cycle_closed", "observation", "session", "cycle_opened"]
    assert events[1].detail == "Engagement 40% → 80%"
    assert all(e.cycle_id == old.pk for e in events)
