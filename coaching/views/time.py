from coaching.views._stub import not_built_yet

time_log = time_entry_edit = not_built_yet
