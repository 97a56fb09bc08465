"""Grouping by framework component: the teacher page's evidence (READ only) and the dashboards'
count-only table, which follows the dashboard's filters and runs the same queries whatever
the amount of data; tag changes and framework changes give the dashboards a new version."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseload.selectors import teacher_evidence_by_component
from coaching.models import NeedArea
from coaching.selectors import school_today
from core.page_cache import GLOBAL, data_versions, school_scope
from dashboards.selectors import (
    DASHBOARD_COMPONENT_QUERIES,
    DashboardFilters,
    component_table_totals,
    dashboard_component_counts,
)
from frameworks import services as framework_services
from observations import services as observation_services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(school_world):
    """North's active framework (1a, 1b) and South's (9z); evidence of o1a tagged 1a twice and
    1b once, of o2a tagged 1a, of ob (school B) tagged 1b; c1a's agreed move is tagged 1a."""
    w = school_world
    domain = f.DomainFactory(framework__district=w.district, code="1", position=1)
    c1a_comp = f.ComponentFactory(domain=domain, code="1a", name="Routines", position=1)
    c1b_comp = f.ComponentFactory(domain=domain, code="1b", name="Respect", position=2)
    f.ComponentFactory(domain__framework__district=w.other_district, code="9z")

    def evidence(observation, *components, text="“Because the parts are equal.”"):
        item = f.StudentEvidenceFactory(observation=observation, description=text)
        observation_services.student_evidence_set_components(evidence=item, components=components)
        return item

    evidence(w.o1a, c1a_comp, text="“I checked with my partner.”")
    evidence(w.o1a, c1a_comp, c1b_comp)
    evidence(w.o2a, c1a_comp)
    evidence(w.ob, c1b_comp)
    move = f.MoveFactory(need_area=w.c1a.assessment.need_area)
    move.components.add(c1a_comp)
    f.AgreedMoveFactory(cycle=w.c1a, move=move)
    return w, c1a_comp, c1b_comp


def _filters(w, **kwargs) -> DashboardFilters:
    today = school_today(w.school_a)
    return DashboardFilters(
        period_start=today - datetime.timedelta(days=27), period_end=today, **kwargs
    )


def _counts(table) -> dict[str, tuple[int, int]]:
    return {r.component.code: (r.evidence, r.moves) for r in table.rows}


def test_the_teacher_page_groups_the_teachers_evidence_by_component(tagged):
    w, c1a_comp, c1b_comp = tagged
    groups = teacher_evidence_by_component(user=w.coach1, teacher=w.t1a)
    assert [(g.component, g.count) for g in groups] == [(c1a_comp, 2), (c1b_comp, 1)]
    texts = {item.description for item in groups[0].items}
    assert "“I checked with my partner.”" in texts


def test_the_teacher_page_shows_evidence_only_to_those_who_read_it(tagged, client):
    w, *_ = tagged
    assert teacher_evidence_by_component(user=w.coach2, teacher=w.t1a) == []
    assert teacher_evidence_by_component(user=w.principal_b, teacher=w.t1a) == []
    client.force_login(w.coach1)
    page = client.get(reverse("teacher_detail", args=[w.t1a.pk]))
    assert "Evidence by component" in page.text and "I checked with my partner." in page.text


def test_the_dashboard_table_counts_evidence_and_agreed_moves_per_component(tagged):
    w, *_ = tagged
    tables = dashboard_component_counts(
        schools=[w.school_a, w.school_b, w.school_c], filters=_filters(w)
    )
    assert _counts(tables[w.school_a.id]) == {"1a": (3, 1), "1b": (1, 0)}
    assert _counts(tables[w.school_b.id]) == {"1a": (0, 0), "1b": (1, 0)}
    assert _counts(tables[w.school_c.id]) == {"9z": (0, 0)}
    north, south = sorted(component_table_totals(tables), key=lambda t: t.framework_id)
    assert _counts(north) == {"1a": (3, 1), "1b": (2, 0)}
    assert _counts(south) == {"9z": (0, 0)}
    assert north.evidence_total == 5


def test_the_table_follows_the_coach_need_area_and_period_filters(tagged):
    w, *_ = tagged
    schools = [w.school_a]
    by_coach = dashboard_component_counts(
        schools=schools, filters=_filters(w, coach_id=w.coach2.id)
    )
    assert _counts(by_coach[w.school_a.id]) == {"1a": (1, 0), "1b": (0, 0)}
    other_area = next(a for a in NeedArea.values if a != w.c1a.assessment.need_area)
    by_need = dashboard_component_counts(schools=schools, filters=_filters(w, need_area=other_area))
    assert _counts(by_need[w.school_a.id]) == {"1a": (0, 0), "1b": (0, 0)}
    today = school_today(w.school_a)
    long_ago = DashboardFilters(
        period_start=today - datetime.timedelta(days=400),
        period_end=today - datetime.timedelta(days=300),
    )
    old = dashboard_component_counts(schools=schools, filters=long_ago)
    assert _counts(old[w.school_a.id]) == {"1a": (0, 0), "1b": (0, 0)}


def test_the_table_counts_only_cycles_of_coaches_who_coach_at_the_school(tagged):
    """As the dashboard's other figures: a former coach's cycles are left out."""
    w, *_ = tagged
    w.coach1_membership.is_active = False
    w.coach1_membership.save()
    tables = dashboard_component_counts(schools=[w.school_a], filters=_filters(w))
    assert _counts(tables[w.school_a.id]) == {"1a": (1, 0), "1b": (0, 0)}  # coach2's o2a only


def _component_row(html: str, label: str) -> str:
    row = re.search(rf"{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert row, label
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1))).strip()


def test_the_cached_principal_dashboard_shows_evidence_tagged_since_it_was_stored(
    tagged, client, django_capture_on_commit_callbacks
):
    w, _, c1b_comp = tagged
    url = reverse("dashboard")
    client.force_login(w.principal_a)
    client.get(url)  # the CSRF cookie
    before = client.get(url).content.decode()  # rendered and stored
    with CaptureQueriesContext(connection) as served:
        assert client.get(url).content.decode().count("1a Routines") == 1
    assert len(served) == 0  # served from the page cache
    assert _component_row(before, "1b Respect") == "1 0"
    item = f.StudentEvidenceFactory(observation=w.o2a)
    with django_capture_on_commit_callbacks(execute=True):
        observation_services.student_evidence_set_components(evidence=item, components=[c1b_comp])
    after = client.get(url).content.decode()
    assert _component_row(after, "1b Respect") == "2 0"


def test_the_principal_dashboard_shows_counts_but_no_evidence(tagged, client, settings):
    w, *_ = tagged
    settings.VERSIONED_CACHE = False
    client.force_login(w.principal_a)
    page = client.get(reverse("dashboard"))
    assert "By framework component" in page.text and "1a Routines" in page.text
    assert "I checked with my partner." not in page.text
    client.force_login(w.district_leader)
    district = client.get(reverse("district_dashboard"))
    assert "By framework component" in district.text


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_table_runs_the_same_queries_whatever_the_data(tagged):
    w, c1a_comp, c1b_comp = tagged
    schools = [w.school_a, w.school_b, w.school_c]

    def call():
        dashboard_component_counts(schools=schools, filters=_filters(w))

    small = _queries(call)
    for _ in range(5):
        item = f.StudentEvidenceFactory(observation=f.ObservationFactory(cycle=w.c1b))
        item.components.add(c1a_comp, c1b_comp)
        f.ComponentFactory(domain=c1a_comp.domain)
    assert _queries(call) == small == DASHBOARD_COMPONENT_QUERIES


def test_the_teacher_groups_run_one_query_whatever_the_data(tagged):
    w, c1a_comp, _ = tagged
    small = _queries(lambda: teacher_evidence_by_component(user=w.superuser, teacher=w.t1a))
    for _ in range(5):
        f.StudentEvidenceFactory(observation=w.o1a).components.add(c1a_comp)
    large = _queries(lambda: teacher_evidence_by_component(user=w.superuser, teacher=w.t1a))
    assert small == large == 1


@pytest.fixture
def versioned(settings):
    settings.VERSIONED_CACHE = True


def test_tagging_evidence_gives_its_school_a_new_version(tagged, versioned):
    w, c1a_comp, _ = tagged
    item = f.StudentEvidenceFactory(observation=w.ob)
    scopes = [school_scope(w.school_a.id), school_scope(w.school_b.id)]
    before = data_versions(scopes=scopes)
    observation_services.student_evidence_set_components(evidence=item, components=[c1a_comp])
    after = data_versions(scopes=scopes)
    assert after[scopes[1]] != before[scopes[1]]
    assert after[scopes[0]] == before[scopes[0]]


def test_tagging_a_move_and_importing_a_framework_give_a_new_global_version(tagged, versioned):
    w, c1a_comp, _ = tagged
    before = data_versions(scopes=[GLOBAL])
    f.MoveFactory().components.add(c1a_comp)
    after_tag = data_versions(scopes=[GLOBAL])
    assert after_tag != before
    framework = f.FrameworkFactory(district=w.district, is_active=False)
    after_import = data_versions(scopes=[GLOBAL])
    assert after_import == after_tag  # an inactive framework shows nowhere yet
    framework_services.framework_activate(framework=framework)
    assert data_versions(scopes=[GLOBAL]) != after_import
