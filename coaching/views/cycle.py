from coaching.views._stub import not_built_yet

cycle_start = cycle_detail = move_pick = move_agree = cycle_plan = not_built_yet
session_new = session_edit = not_built_yet
