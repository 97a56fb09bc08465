"""The suggested coaching stance (teachers.selectors.teacher_suggested_stance)."""

import pytest

from teachers.models import Disposition, Orientation, TimeFocus
from teachers.selectors import teacher_suggested_stance
from tests.factories import TeacherFactory


@pytest.mark.parametrize(
    ("disposition", "orientation", "stance"),
    [
        (Disposition.OVERWHELMED, Orientation.LEARNING, "advocacy"),
        (Disposition.PERFECTIONIST, Orientation.LEARNING, "advocacy"),
        (Disposition.SKEPTICAL, Orientation.PERFORMANCE, "inquiry"),
        (Disposition.AVOIDS_VULNERABILITY, Orientation.PERFORMANCE, "inquiry"),
        (Disposition.READY, Orientation.LEARNING, "inquiry"),
        (Disposition.READY, Orientation.PERFORMANCE, "advocacy"),
    ],
)
def test_stance_follows_the_disposition_and_for_ready_teachers_the_orientation(
    disposition, orientation, stance
):
    teacher = TeacherFactory.build(disposition=disposition, orientation=orientation)

    suggested = teacher_suggested_stance(teacher=teacher)

    assert suggested.kind == stance
    assert suggested.reasons  # always says why


def test_performance_orientation_adds_a_reason_about_talking_of_student_results():
    skeptical = TeacherFactory.build(
        disposition=Disposition.SKEPTICAL, orientation=Orientation.PERFORMANCE
    )
    learning = TeacherFactory.build(
        disposition=Disposition.SKEPTICAL, orientation=Orientation.LEARNING
    )

    assert len(teacher_suggested_stance(teacher=skeptical).reasons) == 2
    assert len(teacher_suggested_stance(teacher=learning).reasons) == 1


@pytest.mark.parametrize(
    ("focus", "words"),
    [
        (TimeFocus.PAST, "already worked"),
        (TimeFocus.PRESENT, "tomorrow's lesson"),
        (TimeFocus.FUTURE, "goals"),
    ],
)
def test_time_focus_sets_the_framing(focus, words):
    teacher = TeacherFactory.build(time_focus=focus)

    assert words in teacher_suggested_stance(teacher=teacher).framing
