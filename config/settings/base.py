"""Settings shared by every environment.

Values that differ between machines come from the environment (or a `.env` file) through
django-environ. The embedded default needs no server: SQLite for data and kombu's filesystem
transport as the Celery broker, both kept under ``var/`` (or ``APP_VAR_DIR``).
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from config.sso_settings import sso_allowed_domains, sso_apps, sso_form_origins

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# Where the embedded default keeps its state (SQLite file, broker folders, results).
VAR_DIR = Path(env.str("APP_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Core ---------------------------------------------------------------------------------
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "csp",
    "axes",
    # Single sign-on (docs/administration.md): only the OpenID Connect provider's sign-in and
    # callback routes are mounted (accounts/sso_urls.py), and only when a provider is set.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Ours, lowest layer first: a lower app never imports a higher one.
    "core",
    "accounts",
    "teachers",
    "rosters",
    # Frameworks (domains, components, levels) that moves and evidence are tagged with.
    "frameworks",
    "observations",
    "coaching",
    # The live observation page, on a tablet in the classroom.
    "live_observation",
    # The coach's caseload and the teacher page.
    "caseload",
    # The teacher's side: My move, their own cycles, the reflection, sharing.
    "my_move",
    # What leaders read (school and district figures, their lists, the CSV exports).
    "dashboards",
    # Email reminders and the private calendar feed.
    "notifications",
    # Video clips of lessons on a cycle, with comments pinned to a time.
    "clips",
    # A teacher's own data: its export (docs/privacy.md), above every app whose rows it reads.
    "privacy",
    # The JSON API (docs/api.md "The API"): above every domain app, which it only calls.
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # Sample data (`seed_demo`, `seed_scale`): the top layer, which no app imports.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # PostgreSQL unreachable: a 503 with Retry-After, never a 500 (docs/administration.md,
    # "When PostgreSQL or Redis is down"). Above the session, whose save on the way out may
    # fail too.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Cache-Control: no-store, private for a signed-in user and the API (core/cache_control.py):
    # below WhiteNoise (static files keep their long cache), above the page cache.
    "core.cache_control.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The Content-Security-Policy header, on every response: above the page cache, which
    # answers cached pages without calling the middleware below it.
    "csp.middleware.CSPMiddleware",
    "teachers.middleware.SchoolTimeZoneMiddleware",
    # Serves pages stored by core.page_cache.versioned_page before the URL is resolved.
    "core.page_cache.PageCacheMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-allauth's request context, for its SSO views only: below the session and
    # authentication it uses, and below the page cache, as cached pages are never allauth's
    # (a hit costs nothing more).
    "allauth.account.middleware.AccountMiddleware",
    # Sign-in throttling: turns a refused (locked) sign-in into the lockout page. Last, as
    # django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coaching.context_processors.navigation",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share one SQLite file: wait for locks instead of
    # failing, take the write lock up front, and let readers run beside a writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache: sessions, data versions and pages (core.page_cache). The default, files
# under var/cache, is shared by the processes of one machine (`make run`'s web server and
# worker); several machines need Redis: CACHE_URL=redis://host:6379/1.
CACHES = {
    "default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
    # Each process's own memory: entries that cannot go stale (keys carry data versions).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "process-local",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
# Versions only work when every process sees the same cache: off for a per-process cache.
SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
VERSIONED_CACHE = env.bool("VERSIONED_CACHE", default=SHARED_CACHE)
# Sessions and data versions read through a tracked Redis connection (core.tracked): no round
# trip while they are unchanged. Only with a Redis CACHE_URL.
TRACKED_CACHE_READS = env.bool("TRACKED_CACHE_READS", default=True)
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=300)  # seconds, whatever happens
SESSION_ENGINE = (
    "core.sessions"  # cached_db that survives a cache outage
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in, right password or not, while the username is locked out
    # from that address (django-axes, settings below).
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.VersionedCacheModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("DJANGO_PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end SESSION_COOKIE_AGE after signing in (the session is not renewed on every
# request): 12 hours, one school day, by default. Closing the browser ends them too only when
# DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE is on (for shared computers; browsers that restore
# tabs may keep such "session" cookies anyway, so the age is the limit that always holds).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one username
# from one address, that username is refused from that address (even with the right password)
# for AXES_COOLOFF_TIME from the lock (a failure while locked does not prolong it). Attempts are
# kept in the database, so every web process sees them; an administrator can unlock someone by
# deleting their "access attempts" in the admin, or `manage.py axes_reset_username USERNAME`.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.locked_out"
# A browser where the person signed in before (a signed "known device" cookie) is not subject to
# the lockout of their username at a shared address; it has its own limit (accounts/devices.py).
# So a colleague behind the school's address cannot keep someone out, and a lock ends one
# cool-off after it began: refused tries while locked do not prolong it.
AXES_WHITELIST_CALLABLE = "accounts.devices.device_is_trusted"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The visitor's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that each append
# to X-Forwarded-For, the address the outermost one saw (accounts.throttling.client_ip).
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Single sign-on (django-allauth, OpenID Connect; docs/administration.md): off unless
# SSO_GOOGLE_CLIENT_ID or SSO_MICROSOFT_CLIENT_ID is set (config/sso_settings.py). A signed-in
# account is matched to an existing active user by its verified email (accounts.sso); nobody
# is created, and allauth's own pages (signup, password reset, emails) are never mounted.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": sso_apps(env)}}
SSO_ALLOWED_DOMAINS = sso_allowed_domains(env)  # empty: any domain
ACCOUNT_ADAPTER = "accounts.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # the adapter matches by email itself
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider vouches for the address, or no entry
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the buttons post (CSRF); a GET shows a confirm page

# --- Content Security Policy (django-csp), in every environment ------------------------------
# Only the app's own files: no inline script or style (JavaScript in static/js, data through
# json_script, styles in static/css), no plugins, no framing, forms post only to the app.
# Clips (docs/coach-guide.md): on S3-compatible storage, videos and posters load from there.
CLIP_STORAGE_BACKEND = env.str("CLIP_STORAGE_BACKEND", default="local")
CLIP_S3_ENDPOINT_URL = env.str("CLIP_S3_ENDPOINT_URL", default="")
_clip_origins = (
    ["/".join(CLIP_S3_ENDPOINT_URL.split("/")[:3])]
    if CLIP_STORAGE_BACKEND == "s3" and CLIP_S3_ENDPOINT_URL
    else ["https://*.amazonaws.com"]
    if CLIP_STORAGE_BACKEND == "s3"
    else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_clip_origins],
        # Clips play from the app (a permission check), or from S3 through a signed URL.
        "media-src": [SELF, *_clip_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Plus the SSO providers' sign-in pages: a form post's redirect must be allowed too.
        "form-action": [SELF, *sso_form_origins(SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"])],
        "frame-ancestors": [NONE],
    },
}

# --- The JSON API (api app; docs/api.md "The API") -----------------------------------------------
# JSON only: DRF's browsable pages carry inline styles the CSP forbids, so the browsable page
# is Swagger UI (/api/docs/, drf-spectacular's split view: its script is a file of its own).
# Tokens: django-rest-knox (only a hash is stored, each with an expiry); the session works
# too (with CSRF), for Swagger UI in a signed-in browser.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",  # DRF's, with a bound on nesting
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=90)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": 20,  # nosec B105: a count of tokens, not a password
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Coaching cycles API",
    "DESCRIPTION": "Schools, teachers, coaching cycles, agreed moves, observations, revisits "
    'and time entries, within what the signed-in user may see (docs/api.md "The API").',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))

# --- Video clips (clips app; docs/coach-guide.md) ----------------------------------------------
# Finished clips and their posters: the "clips" storage alias. Local disk by default, in a
# folder of its own (not under MEDIA_ROOT, no base URL: clips are served only through a
# permission check); S3-compatible storage with CLIP_STORAGE_BACKEND=s3, private objects read
# through short-lived signed URLs.
if CLIP_STORAGE_BACKEND == "s3":
    CLIP_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("CLIP_S3_BUCKET"),
            "endpoint_url": CLIP_S3_ENDPOINT_URL or None,
            "access_key": env.str("CLIP_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("CLIP_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("CLIP_S3_REGION", default="") or None,
            "location": env.str("CLIP_S3_PREFIX", default="clips"),
            "querystring_auth": True,
            "querystring_expire": env.int("CLIP_S3_URL_SECONDS", default=300),
            "default_acl": None,  # the bucket's own policy: private
            "file_overwrite": False,
        },
    }
else:
    CLIP_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.str("CLIP_STORAGE_DIR", default=str(VAR_DIR / "clips")),
            "base_url": None,
        },
    }
# Largest clip accepted (stated on the upload form), and the local folder for partial uploads:
# the web server appends chunks there and the worker reads the finished file from it, so both
# must see the same folder.
CLIP_MAX_BYTES = env.int("CLIP_MAX_MB", default=500) * 1024 * 1024
CLIP_UPLOAD_DIR = Path(env.str("CLIP_UPLOAD_DIR", default=str(VAR_DIR / "clip_uploads")))
CLIP_CHUNK_BYTES = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "clips": CLIP_STORAGE,
}

# --- Forms --------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Coaching <coaching@localhost>")

# --- Celery -------------------------------------------------------------------------------
# Embedded default: a broker in files under var/celery/ (no server; core/embedded_broker.py,
# kombu's filesystem transport made safe for several processes) and Celery's filesystem result
# backend. Production and CI set CELERY_BROKER_URL / CELERY_RESULT_BACKEND to Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
_celery_dir = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # `filesystem://` is our embedded broker (config/celery.py registers it under kombu's
    # name). CELERY_BROKER_TRANSPORT=kombu.transport.filesystem:Transport brings back kombu's
    # own, only to show how it loses messages (docs/testing.md "Tests"), never to run on.
    if _transport := env.str("CELERY_BROKER_TRANSPORT", default=""):
        CELERY_BROKER_TRANSPORT = _transport
    _folders = ("queue", "tmp", "claimed", "unreadable", "control", "processed", "results")
    for _sub in _folders:
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "tmp_folder": str(_celery_dir / "tmp"),  # messages are written here, then renamed
        "claimed_folder": str(_celery_dir / "claimed"),  # taken, not yet acknowledged
        "unreadable_folder": str(_celery_dir / "unreadable"),  # set aside, see the log
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),  # exchange bindings
        "store_processed": False,
        "polling_interval": env.float("CELERY_POLLING_INTERVAL", default=0.2),
    }
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False  # no fanout exchange on the filesystem transport
else:
    # Redis: a message not acknowledged within this time goes back to the queue.
    # Keep it above the longest ETA a task is given, or Redis hands the task out twice (our
    # tasks are idempotent, so that costs time, not correctness).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
_default_results = f"file://{(_celery_dir / 'results').as_posix()}"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_default_results)
if CELERY_RESULT_BACKEND.startswith("file://"):
    Path(CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Reliability: a task is acknowledged after it ran, so a killed worker's task runs again;
# every task must therefore be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes writes a few INFO lines on every sign-in; failures and lockouts are WARNING.
    "loggers": {"axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")}},
}

# --- Roster imports (rosters app; docs/administration.md) ---------------------------------------
# Largest OneRoster bundle accepted (the upload itself, zipped or not), and the most a zip may
# hold once uncompressed (a "zip bomb" beyond it is refused before anything is read).
ROSTER_MAX_UPLOAD_BYTES = env.int("ROSTER_MAX_UPLOAD_MB", default=50) * 1024 * 1024
ROSTER_MAX_UNCOMPRESSED_BYTES = env.int("ROSTER_MAX_UNCOMPRESSED_MB", default=500) * 1024 * 1024

# --- Domain defaults ----------------------------------------------------------------------
# How long the worker heartbeat may be silent before the health page says so.
HEARTBEAT_STALE_AFTER_SECONDS = 180

# --- Coaching jobs (coaching/tasks.py; schedules in config/schedules.py) ---------------------
# Links in emails point here.
SITE_URL = env.str("APP_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# A debrief's context brief is assembled this long before the debrief (and on demand).
BRIEF_LEAD_HOURS = env.int("BRIEF_LEAD_HOURS", default=12)
# A brief job is queued with a delay only up to this long (below Redis's visibility timeout);
# debriefs further ahead are picked up by the sweep.
BRIEF_ETA_MAX_SECONDS = env.int("BRIEF_ETA_MAX_SECONDS", default=45 * 60)
# The sweep looks this far ahead for debriefs without a fresh brief.
BRIEF_SWEEP_HOURS = env.int("BRIEF_SWEEP_HOURS", default=24)
# After new evidence, the rebuild waits this long, so a burst of entries costs one rebuild.
BRIEF_REBUILD_DELAY_SECONDS = env.int("BRIEF_REBUILD_DELAY_SECONDS", default=60)
# The teacher gets tomorrow's move by email from this hour on, school time, the evening before.
REMINDER_MOVE_HOUR = env.int("REMINDER_MOVE_HOUR", default=17)
# The coach gets the brief link this long before a debrief.
REMINDER_DEBRIEF_LEAD_HOURS = env.int("REMINDER_DEBRIEF_LEAD_HOURS", default=12)
# Principals' weekly digest: Monday (0) from this hour on, school time.
REMINDER_DIGEST_WEEKDAY = env.int("REMINDER_DIGEST_WEEKDAY", default=0)
REMINDER_DIGEST_HOUR = env.int("REMINDER_DIGEST_HOUR", default=7)
