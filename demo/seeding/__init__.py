"""The demo seeder behind `manage.py seed_demo`, a module per part of the work: `seeder`
(the district, its schools, calendars, library, framework and people, then each teacher's
content and each coach's time), `cycles` (one cycle of a teacher's history through the
services), `time_entries` (a coach's logged time), `dates` and `upserts` (helpers) and
`summary` (what the command prints)."""
