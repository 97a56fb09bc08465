"""Whole pages kept in a cache under data versions, so a page read again costs a few cache
lookups instead of its queries and its template.

A *data version* is a random token per scope (``global``, ``school:<id>``, ``user:<id>``) in
the shared cache. Whatever writes data of a scope bumps its version (``data_versions_bump``,
called by signal receivers): a new random token, set at once and again when the transaction
commits. A cached page's key holds the versions of its scopes as they were *before* the page
was rendered, so:

- a page rendered before a write is never served after the write has committed (the commit
  gives its scope a new version, hence new keys);
- a page rendered during the write's transaction is stored under the version set at once,
  which the commit replaces as well;
- a new random token (not a counter) means two bumps racing cannot end on an old value.

The key also holds the user, the session, the CSRF cookie (so the form tokens in the page stay
valid), the full path, the HTMX headers and the school date, and pages expire after
``PAGE_CACHE_TIMEOUT`` seconds whatever happens. A request that carries messages to show, a
request without a CSRF cookie, a superuser's and any response but a plain 200 are never cached.

Pages live in two tiers: the process's own memory (``caches["local"]``, a version in the key
makes an entry immutable, so a per-process copy can never be stale) and the shared cache, so a
page rendered by one worker serves the others. Versions live only in the shared cache: with a
per-process cache (the default ``locmemcache://``) in a multi-process deployment they could not
be shared, which is why ``VERSIONED_CACHE`` is off unless ``CACHE_URL`` names a shared cache.

If the cache fails, pages are rendered as if nothing were cached (and the failure is logged).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from core import tracked

logger = logging.getLogger(__name__)

GLOBAL = "global"
_UNREAD = object()
VERSION_PREFIX = "dv:"
PAGE_PREFIX = "page:"
# Headers a view sets that are part of the page; middleware adds the rest on every response.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Vary", "Content-Language", "HX-Trigger")


def school_scope(school_id: int) -> str:
    return f"school:{school_id}"


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def enabled() -> bool:
    return bool(getattr(settings, "VERSIONED_CACHE", False))


def _shared():
    return caches["default"]


def _local():
    return caches["local"]


def _token() -> str:
    return secrets.token_hex(8)


# --- Data versions -----------------------------------------------------------------------------


def data_versions(
    *, scopes: Sequence[str], read: Callable[[list[str]], dict] | None = None
) -> dict[str, str]:
    """The current version of each scope, in one round trip to the cache (two when a scope has
    none yet: the first caller to add one wins, and everyone reads the winner). ``read``: how
    to read the keys (default the shared cache's get_many), e.g. together with a session."""
    keys = {VERSION_PREFIX + scope: scope for scope in scopes}
    cache = _shared()
    reader = tracked.reader()
    found = (read or (reader.get_many if reader else cache.get_many))(list(keys))
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _token(), timeout=None)
        found.update(cache.get_many(missing))
    return {scope: found.get(key, "") for key, scope in keys.items()}


def _bump(scopes: frozenset[str]) -> None:
    try:
        tokens = {VERSION_PREFIX + s: _token() for s in scopes}
        _shared().set_many(tokens, timeout=None)
        reader = tracked.reader()
        if reader:
            reader.forget(list(tokens))
    except Exception:  # a cache outage must not fail a write that has committed
        logger.exception("Could not bump data versions %s; cached pages expire alone.", scopes)


def data_versions_bump(*, scopes: Iterable[str]) -> None:
    """Give each scope a new version now and again when the current transaction commits (at
    once when there is none). A rollback leaves one extra bump, which costs only a render."""
    if not enabled():
        return
    scopes = frozenset(scopes)
    if not scopes:
        return
    _bump(scopes)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(functools.partial(_bump, scopes))


# --- Pages -------------------------------------------------------------------------------------


def _has_messages(request: HttpRequest) -> bool:
    if "messages" in request.COOKIES:
        return True
    return bool(request.session.get("_messages"))


def _page_key(request: HttpRequest, name: str, user_id: str, versions: dict[str, str]) -> str:
    parts = [
        name,
        user_id,
        request.session.session_key or "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.get_full_path(),
        request.META.get("HTTP_HX_REQUEST", ""),
        request.META.get("HTTP_HX_HISTORY_RESTORE_REQUEST", ""),
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        *(f"{scope}={version}" for scope, version in sorted(versions.items())),
    ]
    return PAGE_PREFIX + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _stored(response: HttpResponse) -> tuple[bytes, dict[str, str]] | None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "no-store" in response.get("Cache-Control", "")
    ):
        return None
    headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
    return response.content, headers


def _response(entry: tuple[bytes, dict[str, str]]) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(content)
    for header, value in headers.items():
        response[header] = value
    return response


def _lookup(key: str) -> tuple[bytes, dict[str, str]] | None:
    entry = _local().get(key)
    if entry is None:
        entry = _shared().get(key)
        if entry is not None:
            _local().set(key, entry, settings.PAGE_CACHE_TIMEOUT)
    return entry


def _cacheable_request(request: HttpRequest) -> bool:
    """Whether this request may use the cache, before its session is read."""
    return request.method == "GET" and bool(request.COOKIES.get(settings.CSRF_COOKIE_NAME))


def _session_user_id(request: HttpRequest) -> str | None:
    """The signed-in user's id from the session, unless the session carries messages."""
    user_id = request.session.get(SESSION_KEY)
    if user_id is None or _has_messages(request):
        return None
    return str(user_id)


class Reach(NamedTuple):
    """What a session's pages depend on, as of the versions it was computed at."""

    user_id: str
    version: str
    global_version: str
    scopes: tuple[str, ...]


def _read_with_session(request: HttpRequest) -> Callable[[list[str]], dict] | None:
    """The versions read together with the session (core.sessions), when the engine can."""
    return getattr(request.session, "read_versions", None)


def _reach_key(session_key: str) -> str:
    return f"reach:{session_key}"


def _reach_scopes(reach: Reach) -> list[str]:
    """The scopes whose versions a session's pages are checked against: the user's own, the
    global one and the user's schools."""
    return [user_scope(int(reach.user_id)), GLOBAL, *reach.scopes]


def session_reach(session_key: str) -> Reach | None:
    """What a session's cached pages were last checked against, for the session engine to
    read their versions together with the session (core.sessions)."""
    return _local().get(_reach_key(session_key)) if enabled() else None


def reach_version_keys(reach: Reach) -> list[str]:
    return [VERSION_PREFIX + scope for scope in _reach_scopes(reach)]


def _checked_key(request: HttpRequest, name: str, known: Reach, read=None) -> str | None:
    """The page's key if the session's user is still ``known``'s at its versions."""
    checked = _reach_scopes(known)
    own = checked[0]
    versions = data_versions(scopes=checked, read=read)
    if _session_user_id(request) != known.user_id:
        return None
    # Else the user, their roles or the schools changed: read afresh.
    if versions[own] != known.version or versions[GLOBAL] != known.global_version:
        return None
    return _page_key(request, name, known.user_id, versions)


def _known_key(request: HttpRequest, name: str) -> str | None:
    """The page's key from what the session's pages were last checked against, read by the
    session engine together with the session (core.sessions), or ``None``."""
    session = request.session
    known = getattr(session, "page_reach", _UNREAD)
    if known is _UNREAD:
        known = _local().get(_reach_key(session.session_key)) if session.session_key else None
    if known is None:
        return None
    return _checked_key(request, name, known, read=_read_with_session(request))


# Paths of versioned pages this process has stored, with their view: what the middleware may
# serve before the URL is resolved. Bounded: forgotten all at once beyond MAX_PATHS.
_paths: dict[str, str] = {}
MAX_PATHS = 1000


def _remember_path(path: str, name: str) -> None:
    if path not in _paths:
        if len(_paths) >= MAX_PATHS:
            _paths.clear()
        _paths[path] = name


class PageCacheMiddleware:
    """Serve a page stored by ``versioned_page`` before the URL is resolved and before the
    middleware below this one, as Django's own ``FetchFromCacheMiddleware`` does. Only paths
    whose view this process has already rendered and stored are looked up, with that view's
    own checks (``_known_key``: the same session, user and versions); any other request, or
    a miss, goes on to the view, whose decorator renders it and stores it.

    Place it after the session, CSRF, authentication, messages, clickjacking and time zone
    middleware (their response headers and the time zone are part of a hit), before the
    rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _paths.get(request.path_info)
        if name is not None and enabled() and _cacheable_request(request):
            try:
                key = _known_key(request, name)
                entry = _lookup(key) if key is not None else None
            except Exception:
                logger.exception("Page cache unavailable; rendering %s", request.path)
                entry = None
            if entry is not None:
                return _response(entry)
        return self.get_response(request)


def versioned_page(
    scopes: Callable[[HttpRequest], Sequence[str] | None],
) -> Callable:
    """Decorate a GET view whose page depends only on the signed-in user, the URL and the data
    of ``scopes(request)`` (``None``: do not cache this request).

    Put it *above* the view's sign-in decorator: a hit is served from the session alone,
    without loading the user, and is always a page rendered for the same user and session
    after every check of the view had passed, at the user's current data version (which a
    deactivation, a new password or a change of role bumps). What the session's pages depend
    on (``Reach``: the user, the schools, and the user and global versions they were computed
    at) is kept in the process's memory, so a hit costs one round trip to the shared cache: the
    session and the versions together (core.sessions.SessionStore.load)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        name = f"{view.__module__}.{view.__qualname__}"

        def reach(request: HttpRequest, user_id: str) -> Reach | None:
            """The user's version, the global version and the user's scopes, computed afresh
            (loads the user), kept for the session. The global version is read first: a new
            school, or a school moved to another district, bumps it, and so renews a district
            leader's scopes."""
            user = request.user
            version = getattr(user, "data_version", None)
            if not user.is_authenticated or str(user.pk) != user_id or version is None:
                return None
            global_version = data_versions(scopes=[GLOBAL])[GLOBAL]
            page_scopes = scopes(request)
            if page_scopes is None:
                return None
            found = Reach(user_id, version, global_version, tuple(sorted(page_scopes)))
            _local().set(
                _reach_key(request.session.session_key), found, settings.PAGE_CACHE_TIMEOUT
            )
            return found

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not enabled() or not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = None
            try:
                key = _known_key(request, name)
                if key is None:
                    user_id = _session_user_id(request)
                    known = reach(request, user_id) if user_id is not None else None
                    if known is not None:
                        key = _checked_key(request, name, known)
                if key is not None:
                    entry = _lookup(key)
                    if entry is not None:
                        return _response(entry)
            except Exception:
                logger.exception("Page cache unavailable; rendering %s", request.path)
                key = None
            response = view(request, *args, **kwargs)
            if key is not None:
                entry = _stored(response)
                if entry is not None:
                    try:
                        _local().set(key, entry, settings.PAGE_CACHE_TIMEOUT)
                        _shared().set(key, entry, settings.PAGE_CACHE_TIMEOUT)
                        _remember_path(request.path_info, name)
                    except Exception:
                        logger.exception("Could not store %s in the page cache", request.path)
            return response

        return wrapped

    return decorator
