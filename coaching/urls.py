from django.urls import path

from coaching.views import (
    cycle,
    home,
    observation,
    school_calendar,
)
from coaching.views import time as time_views

urlpatterns = [
    # Role home pages
    path("", home.home, name="home"),
    # Starting and running a cycle
    path("teachers/<int:teacher_id>/cycles/new/", cycle.cycle_start, name="cycle_start"),
    path("cycles/<int:cycle_id>/", cycle.cycle_detail, name="cycle_detail"),
    path("cycles/<int:cycle_id>/move/", cycle.move_pick, name="move_pick"),
    path("cycles/<int:cycle_id>/move/<int:move_id>/", cycle.move_agree, name="move_agree"),
    path("cycles/<int:cycle_id>/plan/", cycle.cycle_plan, name="cycle_plan"),
    path("cycles/<int:cycle_id>/sessions/new/", cycle.session_new, name="session_new"),
    path("sessions/<int:session_id>/", cycle.session_edit, name="session_edit"),
    # Observations and the debrief
    path(
        "cycles/<int:cycle_id>/observations/new/",
        observation.observation_new,
        name="observation_new",
    ),
    path("cycles/<int:cycle_id>/debrief/", observation.debrief, name="debrief"),
    path("cycles/<int:cycle_id>/brief/", observation.cycle_brief, name="cycle_brief"),
    path("revisits/<int:revisit_id>/move/", cycle.revisit_move, name="revisit_move"),
    # Time
    path("time/", time_views.time_log, name="time_log"),
    path("time/<int:entry_id>/", time_views.time_entry_edit, name="time_entry_edit"),
    # School calendar: school weekdays, holidays and breaks (principals and administrators)
    path("schools/calendar/", school_calendar.school_calendar_index, name="school_calendar_index"),
    path(
        "schools/<slug:school_slug>/calendar/",
        school_calendar.school_calendar,
        name="school_calendar",
    ),
    path(
        "schools/<slug:school_slug>/calendar/days/<int:day_id>/remove/",
        school_calendar.school_calendar_day_remove,
        name="school_calendar_day_remove",
    ),
]
