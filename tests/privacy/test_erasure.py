"""Erasing a teacher (privacy.services.teacher_erase and its pages): nothing written about them
is left in any table, history and logs included, while every dashboard figure stays the same;
only an administrator of their district erases, after typing their name; each erasure is
recorded."""

from __future__ import annotations

import pytest
from django.test import Client

from dashboards import selectors as dashboard_selectors
from privacy.models import Erasure
from privacy.services import teacher_erase
from teachers.models import Role, Teacher
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.privacy.world import a_teacher_with_everything
from tests.scan import tables_holding

pytestmark = pytest.mark.django_db


def texts_of(tag: str) -> list[str]:
    """What the world wrote about the teacher tagged ``tag``: each text carries the tag, and
    their account's names and addresses."""
    return [tag, tag.lower() + ".account", tag.lower() + "@mail.example"]


@pytest.fixture
def district_world():
    school = SchoolFactory()
    mine = a_teacher_with_everything("MINE", school=school)
    theirs = a_teacher_with_everything("THEIRS", school=school)
    admin = UserFactory()
    MembershipFactory(user=admin, district=school.district, school=None, role=Role.ADMINISTRATOR)
    leader = UserFactory()
    MembershipFactory(user=leader, district=school.district, school=None, role=Role.DISTRICT_LEADER)
    other_admin = UserFactory()
    MembershipFactory(
        user=other_admin, district=SchoolFactory().district, school=None, role=Role.ADMINISTRATOR
    )
    return {"mine": mine, "theirs": theirs, "admin": admin, "leader": leader,
            "other_admin": other_admin}  # fmt: skip


def figures(leader) -> str:
    """Everything the school and district dashboards show the district leader."""
    return repr(dashboard_selectors.district_dashboard(user=leader))


def test_erasure_leaves_no_text_of_the_teacher_in_any_table_and_every_figure_stays(
    district_world,
):
    w = district_world
    assert set(tables_holding(texts_of("MINE"))) >= {
        "teachers_teacher", "accounts_user", "coaching_historicalreflection",
        "observations_historicalobservationnote", "django_admin_log", "axes_accesslog",
    }  # fmt: skip
    before = figures(w["leader"])
    erasure = teacher_erase(teacher=w["mine"], by=w["admin"])
    assert tables_holding(texts_of("MINE")) == {}
    assert "teachers_teacher" in tables_holding(texts_of("THEIRS"))  # the colleague's stay
    assert len(tables_holding(["THEIRS"])) >= 15
    assert figures(w["leader"]) == before
    erased = Teacher.objects.select_related("user").get(pk=w["mine"].pk)
    assert (erased.first_name, erased.email) == ("Erased", "")
    assert not erased.user.is_active and not erased.user.has_usable_password()
    assert erasure.erased_by == w["admin"] and erasure.district == erased.school.district
    assert erasure.rows["observations.ObservationNote"] == 1
    assert erasure.rows["clips.Clip"] == 1 and erasure.rows["coaching.ContextBrief"] == 1


def test_the_administrator_types_the_name_and_the_erasure_is_recorded(district_world):
    w = district_world
    mine = w["mine"]
    client = Client()
    client.force_login(w["admin"])
    found = client.get("/privacy/erase/", {"q": "MINEfi"})
    assert f"/privacy/erase/{mine.pk}/" in found.content.decode()
    page = client.get(f"/privacy/erase/{mine.pk}/")
    assert page.status_code == 200 and b"MINEfirst MINElast" in page.content
    wrong = client.post(f"/privacy/erase/{mine.pk}/", {"confirm_name": "THEIRSfirst THEIRSlast"})
    assert wrong.status_code == 200
    assert "This is not the teacher&#x27;s name" in wrong.content.decode()
    assert (
        not Erasure.objects.exists() and Teacher.objects.get(pk=mine.pk).first_name == "MINEfirst"
    )
    done = client.post(
        f"/privacy/erase/{mine.pk}/", {"confirm_name": "  minefirst   MINElast "}, follow=True
    )
    assert done.status_code == 200
    body = done.content.decode()
    assert f"#{mine.pk}" in body and w["admin"].username in body
    assert Erasure.objects.get().teacher_id == mine.pk
    assert client.get(f"/privacy/erase/{mine.pk}/").status_code == 302  # erased already
    # The erased teacher is found no more, and their account signs in no more.
    assert (
        f"/privacy/erase/{mine.pk}/"
        not in client.get("/privacy/erase/", {"q": "Erased"}).content.decode()
    )
    teacher_client = Client()
    teacher_client.force_login(Teacher.objects.get(pk=mine.pk).user)
    assert teacher_client.get("/my-move/my-data/").status_code == 302  # to signing in


def test_only_an_administrator_of_the_teachers_district_reaches_the_erasure(district_world):
    w = district_world
    url = f"/privacy/erase/{w['mine'].pk}/"
    other = Client()
    other.force_login(w["other_admin"])
    assert other.get(url).status_code == 404
    assert other.post(url, {"confirm_name": "MINEfirst MINElast"}).status_code == 404
    assert "MINEfirst" not in other.get("/privacy/erase/", {"q": "MINE"}).content.decode()
    leader = Client()
    leader.force_login(w["leader"])
    assert leader.get(url).status_code == 403
    assert leader.post(url, {"confirm_name": "MINEfirst MINElast"}).status_code == 403
    assert not Erasure.objects.exists()
    assert Teacher.objects.get(pk=w["mine"].pk).first_name == "MINEfirst"
