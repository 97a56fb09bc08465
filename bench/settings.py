"""Settings for the page benchmark (`bench/pages.py`) only: production's, over plain http.

Everything comes from `config.settings.production` (DEBUG off, whitenoise's compressed manifest
storage, persistent database connections, the production middleware and logging) except what a
load test on loopback needs: plain http (no SSL redirect, no secure-only cookies, no HSTS), the
hosts 127.0.0.1 and localhost, a throwaway secret key, static files collected under
var/bench/staticfiles, and `bench.urls` as the root URLconf (the app's URLs plus the bare view
the pages are compared with). Never deploy with these settings.
"""

import os

# Production refuses to start without these two; the benchmark needs neither from the caller.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from config.settings.production import *  # noqa: F403
from config.settings.production import VAR_DIR

SECRET_KEY = "bench-only-not-secret-" + "x" * 40  # sessions signed for this run only
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

# Plain http on loopback: production sits behind a TLS proxy, the benchmark does not.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# `collectstatic` for the manifest storage writes here, away from the app's own var/staticfiles.
STATIC_ROOT = VAR_DIR / "bench" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
