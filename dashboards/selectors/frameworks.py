"""Counts by framework component for the dashboards: per school, how much evidence and how many
agreed moves were tagged with each component of the district's active framework, under the
dashboard's filters (period, coach, need area) exactly as its other figures. Counts only:
principals see process data. (The teacher page's evidence by component is in
caseload.selectors.)

Every function runs a fixed number of queries, whatever the amount of data.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from coaching.models import AgreedMove
from dashboards.selectors.filters import DashboardFilters
from dashboards.selectors.school import coach_q, need_q, on_school_dates, zone_schools
from frameworks.models import Component
from observations.models import StudentEvidence
from teachers.models import Membership, Role, School

EvidenceTag = StudentEvidence.components.through


@dataclass
class ComponentCount:
    """One component's counts in one school (or summed over several)."""

    component: Component
    evidence: int = 0
    moves: int = 0


@dataclass
class ComponentTable:
    """A school's (or the schools') rows, one per component of the active framework."""

    framework_id: int
    framework_name: str
    rows: list[ComponentCount]

    @property
    def evidence_total(self) -> int:
        return sum(r.evidence for r in self.rows)

    @property
    def moves_total(self) -> int:
        return sum(r.moves for r in self.rows)


def _coached_at_the_school(cycle: str) -> Exists:
    """The cycle's coach has an active coach membership at the cycle's school: the cycles the
    rest of the dashboard counts (the buckets of dashboards.selectors.school._school_figures),
    not a former coach's."""
    return Exists(
        Membership.objects.filter(
            school_id=OuterRef(f"{cycle}teacher__school_id"),
            user_id=OuterRef(f"{cycle}coach_id"),
            role=Role.COACH,
            is_active=True,
        )
    )


DASHBOARD_COMPONENT_QUERIES = 3  # components, evidence counts, agreed-move counts


def dashboard_component_counts(
    *, schools: list[School], filters: DashboardFilters
) -> dict[int, ComponentTable]:
    """Per school id: the components of its district's active framework, each with the student
    evidence tagged with it (observations started in the period, at the school date) and the
    agreed moves whose library move is tagged with it (agreed in the period), of cycles of the
    filtered coach and need area whose coach coaches at the school (as the dashboard's other
    figures). Schools whose district has no active framework are left out.
    At most DASHBOARD_COMPONENT_QUERIES queries (one when no school has a framework)."""
    if not schools:
        return {}
    district_ids = {s.district_id for s in schools}
    components = list(
        Component.objects.filter(
            domain__framework__is_active=True, domain__framework__district_id__in=district_ids
        )
        .select_related("domain__framework")
        .order_by("domain__position", "position", "code")
    )
    if not components:
        return {}
    school_ids = [s.id for s in schools]
    zones = zone_schools(schools)
    start, end = filters.period_start, filters.period_end
    evidence = (
        EvidenceTag.objects.filter(
            studentevidence__observation__cycle__teacher__school_id__in=school_ids,
            component__in=components,
        )
        .filter(
            on_school_dates(
                "studentevidence__observation__started_at",
                "studentevidence__observation__cycle__teacher__school_id",
                zones,
                start,
                end,
            ),
            coach_q("studentevidence__observation__cycle__coach_id", filters.coach_id),
            _coached_at_the_school("studentevidence__observation__cycle__"),
            need_q("studentevidence__observation__cycle__assessment__need_area", filters.need_area),
        )
        .values_list("studentevidence__observation__cycle__teacher__school_id", "component_id")
        .annotate(n=Count("studentevidence_id", distinct=True))
        .order_by()
    )
    moves = (
        AgreedMove.objects.filter(
            cycle__teacher__school_id__in=school_ids, move__components__in=components
        )
        .filter(
            on_school_dates("created_at", "cycle__teacher__school_id", zones, start, end),
            coach_q("cycle__coach_id", filters.coach_id),
            _coached_at_the_school("cycle__"),
            need_q("cycle__assessment__need_area", filters.need_area),
        )
        .values_list("cycle__teacher__school_id", "move__components")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    evidence_counts = {(school, comp): n for school, comp, n in evidence}
    move_counts = {(school, comp): n for school, comp, n in moves}
    by_district: dict[int, list[Component]] = defaultdict(list)
    for component in components:
        by_district[component.domain.framework.district_id].append(component)
    tables = {}
    for school in schools:
        mine = by_district.get(school.district_id)
        if not mine:
            continue
        tables[school.id] = ComponentTable(
            framework_id=mine[0].domain.framework_id,
            framework_name=mine[0].domain.framework.name,
            rows=[
                ComponentCount(
                    component=c,
                    evidence=evidence_counts.get((school.id, c.id), 0),
                    moves=move_counts.get((school.id, c.id), 0),
                )
                for c in mine
            ],
        )
    return tables


def component_table_totals(tables: dict[int, ComponentTable]) -> list[ComponentTable]:
    """The schools' tables summed per framework (the district view: one table per district
    framework over its schools)."""
    merged: dict[int, ComponentTable] = {}
    for table in tables.values():
        into = merged.setdefault(
            table.framework_id,
            ComponentTable(
                framework_id=table.framework_id,
                framework_name=table.framework_name,
                rows=[ComponentCount(component=r.component) for r in table.rows],
            ),
        )
        for total, row in zip(into.rows, table.rows, strict=True):
            total.evidence += row.evidence
            total.moves += row.moves
    return list(merged.values())
