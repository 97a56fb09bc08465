"""Engagement before and after the move, as sweeps count it."""

from dataclasses import dataclass

from coaching.selectors.percentages import percent_of, percent_points
from observations.models import Phase

# --- Engagement before and after the move --------------------------------------------------------


@dataclass(frozen=True)
class EngagementChange:
    """Engagement before and after the move, pooled over the sweeps: the sums of engaged and
    present students and the number of sweeps per phase, and the shares computed from them
    (engaged / present)."""

    before_engaged: int = 0
    before_present: int = 0
    before_sweeps: int = 0
    after_engaged: int = 0
    after_present: int = 0
    after_sweeps: int = 0

    @property
    def before(self) -> float | None:
        return self.before_engaged / self.before_present if self.before_present else None

    @property
    def after(self) -> float | None:
        return self.after_engaged / self.after_present if self.after_present else None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def before_pct(self) -> int | None:
        return percent_of(self.before_engaged, self.before_present)

    @property
    def after_pct(self) -> int | None:
        return percent_of(self.after_engaged, self.after_present)

    @property
    def change_points(self) -> int | None:
        """after_pct - before_pct: the change as the two shown percentages give it."""
        return percent_points(self.before_pct, self.after_pct)

    def as_json(self) -> dict:
        """Plain data for the live page's script (it adds unsaved sweeps to these sums)."""
        return {
            "before": {
                "engaged": self.before_engaged,
                "present": self.before_present,
                "sweeps": self.before_sweeps,
                "pct": self.before_pct,
            },
            "after": {
                "engaged": self.after_engaged,
                "present": self.after_present,
                "sweeps": self.after_sweeps,
                "pct": self.after_pct,
            },
            "change_points": self.change_points,
        }


def engagement_change(samples) -> EngagementChange:
    """From EngagementSample rows (or anything with phase, engaged_count, present_count)."""
    totals = {Phase.BEFORE_MOVE: [0, 0, 0], Phase.AFTER_MOVE: [0, 0, 0]}
    for sample in samples:
        bucket = totals[sample.phase]
        bucket[0] += sample.engaged_count
        bucket[1] += sample.present_count
        bucket[2] += 1
    before, after = totals[Phase.BEFORE_MOVE], totals[Phase.AFTER_MOVE]
    return EngagementChange(
        before_engaged=before[0],
        before_present=before[1],
        before_sweeps=before[2],
        after_engaged=after[0],
        after_present=after[1],
        after_sweeps=after[2],
    )
