from coaching.views._stub import not_built_yet

observation_new = observation_live = observation_start = observation_finish = not_built_yet
observation_entry = debrief = not_built_yet
