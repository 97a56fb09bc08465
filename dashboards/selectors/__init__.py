"""Reads for the dashboards, a module per feature: filters, capacity, school (the school dashboard's
figures), district (the district view, its summary and plots), lists (the rows behind a figure),
frameworks (counts per framework component). Process figures only, never the content of coaching,
each in a fixed number of queries whatever the size of the district."""

from dashboards.selectors.capacity import Capacity, capacity_for
from dashboards.selectors.district import (
    CaseloadPoint,
    CoachCount,
    DashboardSummary,
    DistrictFigures,
    OverloadedCoach,
    dashboard_plot_data,
    dashboard_summary,
    district_dashboard,
)
from dashboards.selectors.filters import (
    CADENCE_SCHOOL_DAYS,
    CAPACITY_CYCLES_PER_MONTH,
    CAPACITY_LOOKBACK_DAYS,
    CAPACITY_OWN_MIN_CYCLES,
    DASHBOARD_DAYS,
    DASHBOARD_MAX_WEEKS,
    DIRECT_TARGET_PCT,
    FILTER_EARLIEST,
    FILTER_LATEST,
    PROGRESS_OUTCOMES,
    SCHOOL_DASHBOARD_QUERIES,
    DashboardFilters,
    dashboard_coaches,
    dashboard_filters,
)
from dashboards.selectors.frameworks import (
    DASHBOARD_COMPONENT_QUERIES,
    ComponentCount,
    ComponentTable,
    EvidenceTag,
    component_table_totals,
    dashboard_component_counts,
)
from dashboards.selectors.lists import DASHBOARD_LISTS, DashboardRow, dashboard_list
from dashboards.selectors.school import (
    TOUCH_MASK_BITS,
    CoachFigures,
    SchoolFigures,
    coach_q,
    need_q,
    on_school_dates,
    school_dashboard,
    zone_schools,
)
