"""Reads for the coaching pages, a module per feature: reflections, moves, engagement, revisits (the
revisit rule), school_dates, briefs, support_plan, time_entries, history, percentages. Each
selector runs a fixed number of queries whatever the number of teachers, cycles or coaches
(prefetching and grouped aggregates, no query per row). Callers use the package
(`from coaching import selectors`)."""

from coaching.selectors.briefs import (
    CycleOverview,
    context_brief_assemble,
    context_brief_stored,
    cycle_for_brief,
    cycle_next_debrief,
    cycle_overview,
    debriefs_needing_brief,
)
from coaching.selectors.engagement import EngagementChange, engagement_change
from coaching.selectors.history import (
    HISTORY_ACTIONS,
    HISTORY_HIDDEN_FIELDS,
    FieldChange,
    HistoryRow,
    history_rows,
)
from coaching.selectors.moves import move_library
from coaching.selectors.percentages import (
    pct,
    percent,
    percent_of,
    percent_of_sql,
    percent_points,
    share,
)
from coaching.selectors.reflections import (
    cycle_reflections,
    reflection_as_brief,
    reflection_current,
    reflection_possible,
)
from coaching.selectors.revisits import (
    REVISIT_DAYS_MET_ONCE,
    REVISIT_DAYS_MET_REPEATEDLY,
    REVISIT_DAYS_NOT_MET,
    REVISIT_LATEST_SCHOOL_DAYS,
    REVISIT_MISSED_AFTER_DAYS,
    REVISIT_WINDOW_FIRST,
    REVISIT_WINDOW_LAST,
    UNDER_WAY_STATES,
    RevisitPlan,
    RevisitWindow,
    cycle_last_touch,
    latest_value,
    revisit_date_errors,
    revisit_due_from,
    revisit_due_suggest,
    revisit_interval,
    revisit_window,
    revisit_window_for,
    revisits_needed,
    revisits_overdue,
    school_day_refusal,
)
from coaching.selectors.school_dates import school_date, school_date_or_none, school_today
from coaching.selectors.support_plan import (
    DEBRIEF_WITHIN_SCHOOL_DAYS,
    PLAN_OBSERVATION_TIME,
    PLAN_SLOTS,
    PRACTICE_KINDS,
    PlanDefaults,
    cycle_first_observation_at,
    cycle_plan_exists,
    move_due_default,
    plan_lead_school_days,
    support_plan_defaults,
    support_plan_order_errors,
)
from coaching.selectors.time_entries import (
    TIME_ENTRIES_PER_PAGE,
    CategoryTotal,
    CoachTimePeriod,
    CoachTimeWeeks,
    TimeWeek,
    coach_time_period,
    coach_time_weeks,
    time_entry_by_client_id,
)
