"""The live observation page: entries so far and the sweep figures."""

import datetime
import uuid
from dataclasses import dataclass

from coaching.selectors.engagement import EngagementChange, engagement_change
from observations.models import Observation

# --- Live observation ----------------------------------------------------------------------------


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
    engagement: EngagementChange
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
        engagement=engagement_change(samples),
        last_present=last.present_count if last else None,
        last_phase=last.phase if last else None,
    )
