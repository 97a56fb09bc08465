from coaching.views._stub import not_built_yet

teacher_detail = teacher_profile = problem_open = not_built_yet
