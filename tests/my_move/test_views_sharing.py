"""Sharing a cycle with the principal: the teacher is told, in one sentence
(``coaching.access.SHARED_CYCLE_PRINCIPAL_READS``), what the principal will then read; the same
sentence is in docs/teacher-guide.md, and the principal's page of the shared cycle shows exactly
the kinds of content it names and nothing more."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clips.models import Clip
from coaching.access import SHARED_CYCLE_PRINCIPAL_READS as SENTENCE
from coaching.models import CoachingCycle, CycleState, SessionKind
from coaching.services import context_brief_build
from tests import factories as f

pytestmark = pytest.mark.django_db

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "teacher-guide.md"

# Each kind of content the sentence names (its words, as they stand in it) -> the text planted in
# that kind on the shared cycle c1a.
NAMED = {
    "the problem you work on": "SHARED problem: pupils stop at the first hard step",
    "the assessment": "SHARED assessment: four of 26 answered the hinge question",
    "the agreed move and its script": "SHARED script: boards up in 3, 2, 1",
    "the sessions and debriefs with their notes": "SHARED session note: rehearsed the countdown",
    # (debriefs: what students showed and the next step agreed)
    "debriefs": "SHARED next step: add a why prompt",
    "each visit's engagement figures": "48%",  # 12 of 25 engaged before the move (fixture)
    "student evidence": "SHARED evidence: nineteen boards showed three quarters",
    "your reflections": "SHARED reflection: the back row waited",
}
# What the sentence says the principal does not read -> the text planted there.
NOT_NAMED = {
    "your coach's notes taken during visits": "PRIVATE visit note: back row copies",
    "the context brief": None,  # the brief's framing for this teacher, set in the fixture
    "video clips are shared one by one": "PRIVATE clip not shared",
}


@pytest.fixture
def shared(school_world) -> tuple[CoachingCycle, dict[str, str]]:
    """c1a (shared with principal_a) with a text in every kind of its content."""
    w = school_world
    cycle = w.c1a
    problem = f.PersistentProblemFactory(teacher=w.t1a, statement=NAMED["the problem you work on"])
    CoachingCycle.objects.filter(pk=cycle.pk).update(
        state=CycleState.DEBRIEFED, persistent_problem=problem
    )
    cycle.assessment.evidence = NAMED["the assessment"]
    cycle.assessment.save()
    f.AgreedMoveFactory(cycle=cycle, script=NAMED["the agreed move and its script"])
    f.CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.REHEARSAL,
        held_at=timezone.now() - datetime.timedelta(days=3),
        notes=NAMED["the sessions and debriefs with their notes"],
    )
    f.DebriefFactory(
        session=f.CoachingSessionFactory(
            cycle=cycle, kind=SessionKind.DEBRIEF, held_at=timezone.now(), notes=""
        ),
        next_step=NAMED["debriefs"],
    )
    f.StudentEvidenceFactory(observation=w.o1a, description=NAMED["student evidence"])
    f.ReflectionFactory(cycle=cycle, students_did=NAMED["your reflections"])
    f.ObservationNoteFactory(
        observation=w.o1a, text=NOT_NAMED["your coach's notes taken during visits"]
    )
    cycle.refresh_from_db()
    framing = context_brief_build(cycle=cycle).content["profile"]["framing"]
    assert framing
    clip = {
        "cycle": cycle,
        "uploaded_by": w.coach1,
        "original_name": "lesson.mp4",
        "content_type": "video/mp4",
        "size_bytes": 10,
        "received_bytes": 10,
    }
    Clip.objects.create(title=NOT_NAMED["video clips are shared one by one"], **clip)
    Clip.objects.create(title="SHARED clip the teacher shared", shared_with_principal=True, **clip)
    return cycle, {**NOT_NAMED, "the context brief": framing}


def _as(client, user):
    client.force_login(user)
    return client


def test_the_sharing_sentence_is_the_same_on_the_teacher_switch_and_in_the_guide(
    client, shared, school_world
):
    cycle, _ = shared
    client = _as(client, school_world.t1a.user)

    pages = [reverse("my_move"), reverse("my_cycle", args=[cycle.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        assert escape(SENTENCE) in html, url
        assert 'action="/my-move/share/"' in html, url  # next to the switch
    assert SENTENCE in " ".join(GUIDE.read_text().split())
    assert SENTENCE.count(". ") == 0 and SENTENCE.endswith(".")  # one sentence


def test_the_principal_sees_exactly_what_the_sharing_sentence_names(client, shared, school_world):
    cycle, hidden = shared
    for words in (*NAMED, *NOT_NAMED):
        assert words in SENTENCE, words  # the kinds below are the sentence's own words
    client = _as(client, school_world.principal_a)

    response = client.get(reverse("cycle_detail", args=[cycle.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for kind, text in NAMED.items():
        assert escape(text) in html, kind
    for kind, text in hidden.items():
        assert escape(text) not in html, kind
    assert "SHARED clip the teacher shared" in html  # a clip shared on its own
    assert "Context brief" not in html and "Suggested stance" not in html
    # Nor through the coach's pages of the cycle: the visit, the brief, the teacher's own page.
    for url in (
        reverse("observation_live", args=[school_world.o1a.pk]),
        reverse("cycle_brief", args=[cycle.pk]),
        reverse("my_cycle", args=[cycle.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url


def test_without_sharing_the_principal_reads_none_of_it(client, shared, school_world):
    cycle, _ = shared
    CoachingCycle.objects.filter(pk=cycle.pk).update(shared_with_principal=False)

    response = _as(client, school_world.principal_a).get(reverse("cycle_detail", args=[cycle.pk]))

    assert response.status_code == 404
    html = response.content.decode()
    assert not [kind for kind, text in NAMED.items() if text in html and text != "48%"]
