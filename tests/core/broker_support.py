"""A connection to the embedded broker in a folder of a test's own (no Django needed, so a
plain subprocess can use it too: tests/core/test_embedded_broker.py)."""

from __future__ import annotations

import os
from pathlib import Path

from kombu import Connection

# The transport under test: ours, or kombu's own to show what it gets wrong
# (CELERY_BROKER_TRANSPORT=kombu.transport.filesystem:Transport, docs/testing.md "Tests").
TRANSPORT = os.environ.get("CELERY_BROKER_TRANSPORT") or "core.embedded_broker:Transport"
FOLDERS = ("queue", "tmp", "claimed", "unreadable", "control")


def options(root: Path) -> dict:
    for name in FOLDERS:
        (root / name).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(root / "queue"),
        "data_folder_out": str(root / "queue"),
        "tmp_folder": str(root / "tmp"),
        "claimed_folder": str(root / "claimed"),
        "unreadable_folder": str(root / "unreadable"),
        "control_folder": str(root / "control"),
        "polling_interval": 0.01,
    }


def connect(root: Path) -> Connection:
    return Connection("filesystem://", transport=TRANSPORT, transport_options=options(root))
