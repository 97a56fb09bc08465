"""Settings for the app that tests/test_faults.py runs under gunicorn (and its worker):
production's, over plain http on loopback. Everything comes from `config.settings.production`
(DEBUG off, persistent database connections with health checks, the production middleware)
except: plain http (no SSL redirect, no secure-only cookies, no HSTS), no proxy in front,
static files served unhashed (no `collectstatic` needed), fast password hashing for the test
users, and the queue named by CELERY_TASK_DEFAULT_QUEUE. Never deploy with these settings.
"""

import os

# Production refuses to start without these two; the fault test needs neither from the caller.
os.environ.setdefault("DJANGO_SECRET_KEY", "faults-only-not-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from config.settings.production import *  # noqa: F403
from config.settings.production import CLIP_STORAGE, env

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
TRUSTED_PROXY_COUNT = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "clips": CLIP_STORAGE,
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
