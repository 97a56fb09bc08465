"""District-scale seed data for benchmarks (`manage.py seed_scale`, `bench/`).

One district with many schools, principals, coaches (each with a caseload), teachers, cycles in
every state, sessions, debriefs, revisits, time entries and a long tail of observations. Rows are
written with ``bulk_create`` in batches: no per-row ``save()``, so no simple-history rows and no
service calls (the services validate one row at a time, far too slow for 100,000 visits). Every
database constraint still holds; the generator keeps the rules ``full_clean`` checks too (an
agreed move has its cycle's need area, a caseload coach is a coach at the teacher's school,
observations and time entries belong to the cycle's teacher and school).

Deterministic: the same sizes and seed give the same rows (a ``random.Random(seed)`` drives
every choice); dates are relative to the day it runs. It is meant for an empty database, or at
least one without this district: it refuses to write into a district slug that already exists
(drop the database to reseed; ``bench/briefs.py`` does). Choose another ``district_slug`` to add a
second scale district next to the first.

A package by part: ``common`` (constants, sizes, result), ``pools``, ``helpers``, ``plans``,
``seeder`` (``scale_district_seed``; the work in ``people``, ``cycles`` and ``observations``)
and ``queries`` (``upcoming_debriefs``, ``scale_reference_teachers``).
"""

from demo.scale_data.common import (
    BATCH_SIZE,
    FEW_OBSERVATIONS,
    HISTORY_DAYS,
    MANY_OBSERVATIONS,
    MANY_OBSERVATIONS_MIN,
    MAX_CYCLES_PER_TEACHER,
    SCALE_PASSWORD,
    SCHOOL_DAY,
    TIME_ZONES,
    UPCOMING_DEBRIEF_SHARE,
    Progress,
    ScaleResult,
    ScaleSeedError,
    ScaleSizes,
)
from demo.scale_data.helpers import allocate, allocate_capped
from demo.scale_data.pools import (
    DISPOSITIONS,
    FIRST_NAMES,
    LAST_NAMES,
    NEED_AREAS,
    OUTCOMES,
    SUPPORT_SESSIONS,
    WEEKLY_TIME,
)
from demo.scale_data.queries import ReferenceTeacher, scale_reference_teachers, upcoming_debriefs
from demo.scale_data.seeder import scale_district_seed

__all__ = [
    "BATCH_SIZE",
    "DISPOSITIONS",
    "FEW_OBSERVATIONS",
    "FIRST_NAMES",
    "HISTORY_DAYS",
    "LAST_NAMES",
    "MANY_OBSERVATIONS",
    "MANY_OBSERVATIONS_MIN",
    "MAX_CYCLES_PER_TEACHER",
    "NEED_AREAS",
    "OUTCOMES",
    "SCALE_PASSWORD",
    "SCHOOL_DAY",
    "SUPPORT_SESSIONS",
    "TIME_ZONES",
    "UPCOMING_DEBRIEF_SHARE",
    "WEEKLY_TIME",
    "Progress",
    "ReferenceTeacher",
    "ScaleResult",
    "ScaleSeedError",
    "ScaleSizes",
    "allocate",
    "allocate_capped",
    "scale_district_seed",
    "scale_reference_teachers",
    "upcoming_debriefs",
]
