"""Helpers of the scale seed: whole-number splits, weighted choices and insert batches."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

from demo.scale_data.common import BATCH_SIZE, ScaleSeedError

# --- Helpers ----------------------------------------------------------------------------------


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    short = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[:short]:
        parts[i] += 1
    return parts


def allocate_capped(total: int, weights: list[float], cap: int) -> list[int]:
    """``allocate`` with no part above ``cap``: the excess goes to the parts below it."""
    if cap * len(weights) < total:
        raise ScaleSeedError(f"Cannot split {total} into {len(weights)} parts of at most {cap}.")
    parts = allocate(total, weights)
    while True:
        excess = sum(max(0, p - cap) for p in parts)
        if not excess:
            return parts
        parts = [min(p, cap) for p in parts]
        room = [i for i, p in enumerate(parts) if p < cap]
        extra = allocate(excess, [weights[i] or 1e-9 for i in room])
        for i, add in zip(room, extra, strict=True):
            parts[i] += add


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def _batches(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
