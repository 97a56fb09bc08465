"""Jobs and producers for the broker stress test (tests/core/test_embedded_broker.py).

The worker imports this module (``celery worker -I tests.core.stress_jobs``); each producer is
a process of its own: ``python -m tests.core.stress_jobs QUEUE FIRST COUNT OUT PAUSE``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from celery import shared_task

RECORD = "tests.core.stress_jobs.record"


@shared_task(name=RECORD, acks_late=True)
def record(job: int, out: str, hold_seconds: float = 0.0) -> int:
    """Append the job's number to ``out``, one line each (an O_APPEND write of a few bytes
    is atomic, so lines from two pool processes never mix). ``hold_seconds``: first write
    ``<out>.started`` and wait, so a test can kill the worker while the job is in hand (only
    the first time: run again, the job goes straight through)."""
    if hold_seconds:
        started = Path(f"{out}.started")
        first_time = not started.exists()
        with started.open("a") as log:
            log.write(f"{job}\n")
        if first_time:
            time.sleep(hold_seconds)
    fd = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{job}\n".encode())
    finally:
        os.close(fd)
    return job


def produce(queue: str, first: int, count: int, out: str, pause: float) -> None:
    """Publish jobs ``first`` to ``first + count - 1``, ``pause`` seconds apart: a trickle the
    worker keeps up with, so it looks at the queue while messages are being written."""
    from config.celery import app

    with app.producer_or_acquire() as producer:
        for job in range(first, first + count):
            app.send_task(RECORD, args=[job, out], queue=queue, producer=producer)
            time.sleep(pause)


if __name__ == "__main__":
    queue, first, count, out, pause = sys.argv[1:6]
    produce(queue, int(first), int(count), out, float(pause))
