"""``scale_district_seed``: one run of the scale seed (``_ScaleSeeder``, its parts in
``people``, ``cycles`` and ``observations``)."""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from zoneinfo import ZoneInfo

from django.db import models, reset_queries, transaction
from django.db.models import Count
from django.utils import timezone

from coaching.models import CoachingCycle, CycleState, Outcome
from demo.scale_data.common import (
    BATCH_SIZE,
    SCHOOL_DAY,
    TIME_ZONES,
    Progress,
    ScaleResult,
    ScaleSeedError,
    ScaleSizes,
    _Silent,
)
from demo.scale_data.cycles import _CyclesSeeder
from demo.scale_data.helpers import _batches
from demo.scale_data.observations import _ObservationsSeeder
from demo.scale_data.people import _PeopleSeeder
from demo.scale_data.pools import _cycle_templates, _problems, _subjects
from demo.scale_data.queries import upcoming_debriefs
from teachers.models import District


class _ScaleSeeder(_PeopleSeeder, _CyclesSeeder, _ObservationsSeeder):
    """One run of the seed: its state, writing and dates here, the work by part in the
    mixins (people, cycles, observations)."""

    def __init__(self, sizes: ScaleSizes, progress: Progress) -> None:
        self.sizes = sizes
        self.progress = progress
        self.rng = random.Random(sizes.seed)  # nosec B311  # repeatable made-up data
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        self.rows: Counter[str] = Counter()
        self.templates = _cycle_templates()
        self.subjects = _subjects()
        self.problem_pool = _problems()
        self.zones = {name: ZoneInfo(name) for name in TIME_ZONES}

    # Writing

    def _insert(self, model: type[models.Model], objs: list) -> list:
        for batch in _batches(objs):
            model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            reset_queries()  # with DEBUG on, the query log would keep every batch's SQL
        self.rows[model._meta.label] += len(objs)
        return objs

    # Dates

    def day(self, ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=ago)

    def at(self, ago: int, zone: str, *, hour: int | None = None) -> datetime.datetime:
        """A time of the school day ``ago`` days before today (negative: ahead), school time.
        Past times use ago >= 2, so they are before now in every school's time zone."""
        hour = self.rng.randint(*SCHOOL_DAY) if hour is None else hour
        local = datetime.datetime.combine(
            self.day(ago), datetime.time(hour, self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        )
        return local.replace(tzinfo=self.zones[zone])

    def local_date(self, moment: datetime.datetime, zone: str) -> datetime.date:
        return moment.astimezone(self.zones[zone]).date()

    # Run

    def run(self) -> ScaleResult:
        started = time.monotonic()
        sizes = self.sizes
        sizes.check()
        if District.objects.filter(slug=sizes.district_slug).exists():
            raise ScaleSeedError(
                f"District “{sizes.district_slug}” already exists. seed_scale writes into an "
                "empty district only: drop the database (or use another --district-slug)."
            )
        with transaction.atomic():
            self._organisation()
            self._moves()
            self._teachers()
            self._cycles()
            self._observations()
            self._coach_time()
        few = next((t for t in self.teacher_plans if t.reference == "few"), None)
        many = next((t for t in self.teacher_plans if t.reference == "many"), None)
        cycles = CoachingCycle.objects.filter(teacher__school__district=self.district)
        states = dict(cycles.order_by().values_list("state").annotate(n=Count("id")))
        outcomes = dict(
            cycles.filter(state=CycleState.CLOSED)
            .order_by()
            .values_list("outcome")
            .annotate(n=Count("id"))
        )
        return ScaleResult(
            district_id=self.district.pk,
            sizes=sizes,
            rows=dict(sorted(self.rows.items())),
            cycles_by_state={state: states.get(state, 0) for state in CycleState.values},
            outcomes={outcome: outcomes.get(outcome, 0) for outcome in Outcome.values},
            upcoming_debriefs=upcoming_debriefs(district=self.district).count(),
            few_observations_teacher_id=few.teacher.pk if few and few.teacher else None,
            many_observations_teacher_id=many.teacher.pk if many and many.teacher else None,
            many_observations=many.observations if many else 0,
            seconds=time.monotonic() - started,
        )


# --- Entry points -------------------------------------------------------------------------------


def scale_district_seed(*, sizes: ScaleSizes, progress: Progress | None = None) -> ScaleResult:
    """Build one district at the given sizes (see the module docstring). Raises
    ScaleSeedError if the district slug is taken."""
    return _ScaleSeeder(sizes, progress or _Silent()).run()
