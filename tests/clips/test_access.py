"""Who watches, comments on, shares and deletes a clip (clips/access.py, on coaching.access)."""

import pytest
from django.http import Http404

from clips.access import CHANGE, OWN, VIEW, clip_get_for_user, clips_for, cycle_for_clips_get
from tests.clips.conftest import ready_clip

pytestmark = pytest.mark.django_db


@pytest.fixture
def clip(school_world):
    return ready_clip(cycle=school_world.c1a)  # t1a's cycle, coach1's caseload


def _reach(world, clip) -> dict[str, set[str]]:
    people = {
        "teacher": world.t1a.user,
        "coach": world.coach1,
        "other coach": world.coach2,
        "other teacher": world.t2a.user,
        "principal": world.principal_a,
        "other principal": world.principal_b,
        "district leader": world.district_leader,
        "superuser": world.superuser,
        "inactive principal": world.inactive_principal,
    }
    return {
        action: {
            name for name, user in people.items() if clips_for(user, action).filter(pk=clip.pk)
        }
        for action in (VIEW, CHANGE, OWN)
    }


def test_an_unshared_clip_is_for_the_teacher_and_the_coach(school_world, clip):
    assert _reach(school_world, clip) == {
        VIEW: {"teacher", "coach", "superuser"},
        CHANGE: {"teacher", "coach", "superuser"},
        OWN: {"teacher"},
    }


def test_a_shared_clip_is_watched_by_the_principal_of_the_teachers_school(school_world, clip):
    clip.shared_with_principal = True
    clip.save()
    reach = _reach(school_world, clip)
    assert reach[VIEW] == {"teacher", "coach", "superuser", "principal"}
    assert "principal" not in reach[CHANGE] and reach[OWN] == {"teacher"}


def test_a_coach_whose_role_ended_no_longer_watches(school_world, clip):
    school_world.coach1_membership.is_active = False
    school_world.coach1_membership.save()
    assert not clips_for(school_world.coach1, VIEW).filter(pk=clip.pk).exists()


def test_lookups_outside_the_scope_are_404(school_world, clip):
    with pytest.raises(Http404):
        clip_get_for_user(user=school_world.principal_a, clip_id=clip.pk)
    with pytest.raises(Http404):
        clip_get_for_user(user=school_world.coach1, clip_id=clip.pk, action=OWN)
    assert clip_get_for_user(user=school_world.t1a.user, clip_id=clip.pk, action=OWN) == clip


def test_the_clips_page_of_a_cycle_opens_to_a_principal_only_with_a_shared_clip(school_world, clip):
    w = school_world
    assert cycle_for_clips_get(user=w.t1a.user, cycle_id=w.c1a.pk) == w.c1a
    with pytest.raises(Http404):
        cycle_for_clips_get(user=w.principal_a, cycle_id=w.c1a.pk)
    clip.shared_with_principal = True
    clip.save()
    assert cycle_for_clips_get(user=w.principal_a, cycle_id=w.c1a.pk) == w.c1a
    with pytest.raises(Http404):
        cycle_for_clips_get(user=w.t2a.user, cycle_id=w.c1a.pk)
