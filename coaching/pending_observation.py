"""Reads for the live-observation and debrief pages that coaching/selectors.py does not have yet.

Pending: to be moved into coaching/selectors.py. Reads only; every write goes through the
services.
"""

import datetime
import uuid
from dataclasses import dataclass

from coaching.selectors import EngagementChange, engagement_change
from observations.models import Observation, Phase


@dataclass(frozen=True)
class EngagementTotals:
    """Pooled sums of the sweeps per phase, with the shares the selectors compute from them."""

    before_engaged: int
    before_present: int
    before_sweeps: int
    after_engaged: int
    after_present: int
    after_sweeps: int
    change: EngagementChange

    def as_json(self) -> dict:
        """Plain data for the page's script (it adds unsaved sweeps to these sums)."""
        return {
            "before": {
                "engaged": self.before_engaged,
                "present": self.before_present,
                "sweeps": self.before_sweeps,
                "pct": self.change.before_pct,
            },
            "after": {
                "engaged": self.after_engaged,
                "present": self.after_present,
                "sweeps": self.after_sweeps,
                "pct": self.change.after_pct,
            },
            "change_points": self.change.change_points,
        }


def engagement_totals(samples) -> EngagementTotals:
    """Sums of engaged and present students before and after the move, from sweeps (rows or
    anything with phase, engaged_count and present_count)."""
    samples = list(samples)
    sums = {Phase.BEFORE_MOVE: [0, 0, 0], Phase.AFTER_MOVE: [0, 0, 0]}
    for sample in samples:
        bucket = sums[sample.phase]
        bucket[0] += sample.engaged_count
        bucket[1] += sample.present_count
        bucket[2] += 1
    before, after = sums[Phase.BEFORE_MOVE], sums[Phase.AFTER_MOVE]
    return EngagementTotals(*before, *after, change=engagement_change(samples))


@dataclass(frozen=True)
class LiveEntry:
    """One line of the live page's list: a note, a sweep or a piece of student evidence."""

    kind: str  # note | sweep | evidence
    when: datetime.datetime
    client_id: uuid.UUID | None
    label: str
    text: str


@dataclass(frozen=True)
class LiveObservation:
    entries: list[LiveEntry]  # newest first
    totals: EngagementTotals
    last_present: int | None
    last_phase: str | None


def observation_live_data(*, observation: Observation) -> LiveObservation:
    """What the live page shows of a visit (three queries)."""
    notes = list(observation.notes.all())
    samples = list(observation.engagement_samples.all())
    evidence = list(observation.student_evidence.all())
    entries = [LiveEntry("note", n.noted_at, n.client_id, "Note", n.text) for n in notes]
    entries += [
        LiveEntry(
            "sweep",
            s.taken_at,
            s.client_id,
            f"Sweep · {s.get_phase_display().lower()}",
            f"{s.engaged_count} of {s.present_count} engaged",
        )
        for s in samples
    ]
    entries += [
        LiveEntry("evidence", e.noted_at, e.client_id, e.get_kind_display(), e.description)
        for e in evidence
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    last = max(samples, key=lambda s: (s.taken_at, s.id)) if samples else None
    return LiveObservation(
        entries=entries,
        totals=engagement_totals(samples),
        last_present=last.present_count if last else None,
        last_phase=last.phase if last else None,
    )
