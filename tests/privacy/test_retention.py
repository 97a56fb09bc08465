"""A district's retention setting (privacy.services.retention_apply, the nightly job, and the
Retention page): the texts of the cycles closed before the cutoff are erased with their counts
kept, the newer cycles are left whole, and the page says beforehand what the next run erases."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db.models import Count, Sum
from django.test import Client
from django.utils import timezone

from coaching.models import CoachingCycle, CycleState, Outcome, TimeEntry
from core.models import JobRun
from dashboards import selectors as dashboard_selectors
from observations.models import EngagementSample, Observation
from privacy.models import CycleErasure
from privacy.selectors import retention_preview
from privacy.tasks import retention_apply
from teachers.models import District, Role
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.privacy.world import a_teacher_with_everything
from tests.scan import tables_holding

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
CYCLE_TEXTS = ("evidence", "script", "session notes", "next step", "reflection", "revisit",
               "note", "student work", "time", "clip", "comment", "brief")  # fmt: skip


def cycle_texts(tag: str) -> list[str]:
    return [f"{tag} {kind}" for kind in CYCLE_TEXTS]


def _close(teacher, closed_on: datetime.date) -> CoachingCycle:
    cycle = CoachingCycle.objects.get(teacher=teacher)
    CoachingCycle.objects.filter(pk=cycle.pk).update(
        state=CycleState.CLOSED,
        outcome=Outcome.MASTERED,
        opened_on=closed_on - datetime.timedelta(days=40),
        closed_on=closed_on,
    )
    return cycle


@pytest.fixture
def retention_world():
    school = SchoolFactory()
    old = a_teacher_with_everything("OLD", school=school)
    new = a_teacher_with_everything("NEW", school=school)
    old_cycle = _close(old, TODAY - datetime.timedelta(days=3 * 365))  # 3 years ago
    _close(new, TODAY - datetime.timedelta(days=365))  # 1 year ago
    admin = UserFactory()
    MembershipFactory(user=admin, district=school.district, school=None, role=Role.ADMINISTRATOR)
    leader = UserFactory()
    MembershipFactory(user=leader, district=school.district, school=None, role=Role.DISTRICT_LEADER)
    return {"district": school.district, "old_cycle": old_cycle, "admin": admin,
            "leader": leader}  # fmt: skip


def counts() -> dict:
    """What the figures are made of: cycles by outcome, visits, sweeps, minutes."""
    return {
        "cycles": list(CoachingCycle.objects.values("state", "outcome").annotate(n=Count("pk"))),
        "visits": Observation.objects.count(),
        "sweeps": list(EngagementSample.objects.values_list("present_count", "engaged_count")),
        "minutes": TimeEntry.objects.aggregate(Sum("minutes")),
    }


@time_machine.travel(datetime.datetime(2026, 12, 7, 2, 30, tzinfo=datetime.UTC), tick=False)
def test_the_nightly_job_erases_the_texts_of_cycles_past_retention_and_keeps_every_count(
    retention_world,
):
    w = retention_world
    district = w["district"]
    assert retention_apply() == {}  # no setting: everything kept
    assert retention_preview(district=district).cutoff is None
    District.objects.filter(pk=district.pk).update(retention_years=2)
    district.refresh_from_db()
    preview = retention_preview(district=district, today=TODAY)
    assert preview.cutoff == datetime.date(2024, 12, 7) and preview.cycles == 1
    assert preview.rows["observation notes"] == 1 and preview.rows["clips"] == 1
    before, figures = counts(), repr(dashboard_selectors.district_dashboard(user=w["leader"]))
    assert set(tables_holding(cycle_texts("OLD")))  # there before

    assert retention_apply() == {district.slug: 1}

    assert tables_holding(cycle_texts("OLD")) == {}
    assert all(tables_holding([text]) for text in cycle_texts("NEW"))  # the newer cycle: whole
    assert counts() == before
    assert repr(dashboard_selectors.district_dashboard(user=w["leader"])) == figures
    erasure = CycleErasure.objects.get()
    assert erasure.cycle == w["old_cycle"] and erasure.rows["clips.Clip"] == 1
    assert JobRun.objects.get(name="retention").last_result == {district.slug: 1}
    assert retention_apply() == {}  # run again: nothing left to erase
    assert retention_preview(district=district, today=TODAY).cycles == 0


def test_the_retention_page_shows_the_next_run_and_saves_the_setting(retention_world):
    w = retention_world
    client = Client()
    client.force_login(w["admin"])
    page = client.get("/privacy/retention/")
    assert page.status_code == 200 and b'data-retention="none"' in page.content
    prefix = f"d{w['district'].pk}"
    refused = client.post(
        "/privacy/retention/", {"district": w["district"].pk, f"{prefix}-years": "0"}
    )
    assert refused.status_code == 200
    assert "greater than or equal to 1" in refused.content.decode()
    assert District.objects.get(pk=w["district"].pk).retention_years is None
    saved = client.post(
        "/privacy/retention/", {"district": w["district"].pk, f"{prefix}-years": "2"}, follow=True
    )
    assert District.objects.get(pk=w["district"].pk).retention_years == 2
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 7, 12))):
        body = client.get("/privacy/retention/").content.decode()
    assert 'data-retention="1"' in body and "closed before 7 December 2024" in body
    assert saved.status_code == 200
    assert not CycleErasure.objects.exists()  # the page only shows; the job erases


def test_only_a_districts_administrator_sets_its_retention(retention_world):
    w = retention_world
    other = UserFactory()
    MembershipFactory(
        user=other, district=SchoolFactory().district, school=None, role=Role.ADMINISTRATOR
    )
    data = {"district": w["district"].pk, f"d{w['district'].pk}-years": "1"}
    client = Client()
    client.force_login(other)
    assert w["district"].name not in client.get("/privacy/retention/").content.decode()
    assert client.post("/privacy/retention/", data).status_code == 404
    assert client.post("/privacy/retention/", {"district": "x"}).status_code == 404
    client.force_login(w["leader"])
    assert client.post("/privacy/retention/", data).status_code == 403
    assert District.objects.get(pk=w["district"].pk).retention_years is None


def test_the_admin_shows_the_next_runs_effect_on_the_district(retention_world):
    w = retention_world
    root = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    url = f"/admin/teachers/district/{w['district'].pk}/change/"
    assert "keeps everything" in client.get(url).content.decode()
    District.objects.filter(pk=w["district"].pk).update(retention_years=2)
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 7, 12))):
        body = client.get(url).content.decode()
    assert "Erases the texts of 1 cycles closed before 07 December 2024" in body
    assert "1 observation notes" in body
