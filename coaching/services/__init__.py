"""Writes for coaching cycles, a module per feature: cycles, sessions, debriefs, revisits,
time_entries, support_plan, briefs, reflections. Each function validates fully and saves inside a
transaction. Callers use the package (`from coaching import services`)."""

from coaching.services.briefs import (
    context_brief_build,
    context_brief_enqueue_for_debrief,
    context_brief_ensure,
    context_brief_mark_stale,
    context_briefs_sweep,
)
from coaching.services.cycles import (
    agreed_move_set,
    cycle_close,
    cycle_start,
    cycle_transition,
    persistent_problem_open,
)
from coaching.services.debriefs import DebriefDecision, debrief_conclude, debrief_record
from coaching.services.reflections import reflection_attach_pending
from coaching.services.revisits import (
    RevisitRun,
    revisit_complete,
    revisit_mark_missed,
    revisit_reschedule,
    revisit_schedule,
    revisits_schedule_due,
)
from coaching.services.sessions import SESSION_FIELDS, session_log, session_update
from coaching.services.support_plan import (
    SUPPORT_PLANS,
    cycle_observation_finish,
    cycle_observation_start,
    cycle_plan_support,
    cycle_schedule_observation,
)
from coaching.services.time_entries import (
    time_entry_archive,
    time_entry_correct,
    time_entry_date_bounds,
    time_entry_date_problem,
    time_entry_log,
    time_entry_restore,
    time_entry_sync_for_observation,
    time_entry_sync_for_session,
)
