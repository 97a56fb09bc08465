"""Test run: the same database and broker choice as the environment gives, fast hashing,
emails kept in memory."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, VAR_DIR, env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="test-only-secret-key-not-for-production")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
# Jobs that tests enqueue go to a queue of this test run, which the run's own worker process
# consumes (tests/conftest.py), never to another run's or to a `make run` worker.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default=f"test-{os.getpid()}")
# Clips of this test run in a folder of their own, which the run's worker process (started with
# this environment) shares: finished files under files/, partial uploads under uploads/.
CLIP_TEST_DIR = Path(
    os.environ.setdefault("CLIP_TEST_DIR", str(VAR_DIR / f"test-clips-{os.getpid()}"))
)
CLIP_UPLOAD_DIR = CLIP_TEST_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "clips": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(CLIP_TEST_DIR / "files"), "base_url": None},
    },
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a real Celery worker process can open the test database too.
    # One file per test run, so two runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}

# One test process serves every request, so a per-process cache is shared enough: pages and
# the signed-in user are cached as in production (CI's PostgreSQL leg sets CACHE_URL to Redis).
CACHES["default"] = env.cache_url("CACHE_URL", default="locmemcache://test-default")
# `make test` runs the suite in several processes (pytest-xdist), each with its own database:
# their keys in a shared cache server stay apart (tests/conftest.py empties only its own).
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    CACHES["default"]["KEY_PREFIX"] = f"test-{XDIST_WORKER}"
VERSIONED_CACHE = True
SILENCED_SYSTEM_CHECKS = ["core.W001"]  # one process serves the test requests
SESSION_ENGINE = "core.sessions"

# The API's throttles stay on in tests, high enough for the sweeps and schemathesis.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
