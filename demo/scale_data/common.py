"""The scale seed's constants (the accounts' password, batch size, how far back the history
goes, the reference teachers' visits), its error, how it reports progress, and the sizes it
takes and the result it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# Every scale account; the hash is computed once. Benchmark data, never a real account.
SCALE_PASSWORD = "scale-bench-2026"  # nosec B105  # benchmark accounts only
TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Europe/London",
)
BATCH_SIZE = 5000
HISTORY_DAYS = 700  # about two school years of history before today
FEW_OBSERVATIONS = 3  # the light reference teacher has exactly this many visits
MANY_OBSERVATIONS = 320  # the heavy reference teacher (at least MANY_OBSERVATIONS_MIN)
MANY_OBSERVATIONS_MIN = 300
MAX_CYCLES_PER_TEACHER = 18
UPCOMING_DEBRIEF_SHARE = 0.85  # of active and debriefed cycles
SCHOOL_DAY = (8, 15)  # visits and sessions start between these local hours


class ScaleSeedError(Exception):
    """The seed cannot run (the district exists, or the sizes make no sense)."""


class Progress(Protocol):
    """Where the seeder reports how far it got: one phase after another, each with a total."""

    def phase(self, name: str, total: int, unit: str) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class _Silent:
    def phase(self, name: str, total: int, unit: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass(frozen=True)
class ScaleSizes:
    schools: int = 50
    coaches: int = 150
    teachers: int = 3000
    observations: int = 100_000
    seed: int = 1
    district_slug: str = "scale"

    def check(self) -> None:
        if self.schools < 1 or self.coaches < 1 or self.teachers < 1:
            raise ScaleSeedError("Give at least one school, one coach and one teacher.")
        if self.observations < 0:
            raise ScaleSeedError("The number of observations cannot be negative.")
        if not self.district_slug:
            raise ScaleSeedError("Give a district slug.")


@dataclass(frozen=True)
class ScaleResult:
    district_id: int
    sizes: ScaleSizes
    rows: dict[str, int]  # model label -> rows created
    cycles_by_state: dict[str, int]
    outcomes: dict[str, int]
    upcoming_debriefs: int  # debrief sessions scheduled 1-14 days ahead, not held, cycle open
    few_observations_teacher_id: int | None  # exactly FEW_OBSERVATIONS visits, open cycle
    many_observations_teacher_id: int | None  # at least MANY_OBSERVATIONS_MIN visits, open cycle
    many_observations: int
    seconds: float
