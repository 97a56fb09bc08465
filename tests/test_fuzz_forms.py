"""Bad input, property-based: every form the app's pages accept by POST gets random and hostile
values (hypothesis) from the role that may use it.

The routes are enumerated from the URL resolver as the access sweep
(``tests/test_access_sweep.py``) finds them, with the ids of its world, sign-in included (the
Django admin aside: staff only, Django's own forms). A route takes POST unless every role gets
a 405 for it. Each such route must be in ``FUZZED`` (who posts it, to which rows, with which
valid data) or in ``EXEMPT`` with the reason, else ``test_every_post_route_is_fuzzed_or_exempt``
fails and names it: a POST route added later is fuzzed too.

The fields of each form are read from the pages the role gets (every ``<form method="post">``
whose action is the route, with its input types), plus the time the live page's script adds.
Each route's base data, cut to those fields, is a POST that really saves (checked first), so a
refusal comes from the hostile value. Then, each request rolled back so that every one meets the
same rows:
- an empty POST;
- a fixed pass: the most dangerous values for the field's input type, in one field at a time
  (NUL, 100,000 characters, ``<script>``, empty, left out; right-to-left text and an ``<img>``
  tag in texts; -1, 10**30, nan, inf, 1.5 in numbers; 2026-02-30, 0000-01-01, 9999-12-31,
  "yesterday" in dates and times; non-numeric, huge and other schools' ids in choices);
- ``FUZZ_EXAMPLES`` (default 20) random examples: several fields replaced, dropped or repeated
  at once, with values from those lists (emoji, zero-width text, template and SQL text, Arabic
  digits, ...) and random text, integers, floats, dates and times; plus a stray field.
Forms the page's script or HTMX sends (the live observation's entries, the teacher's profile and
problems) are posted both ways.

Each response must be, never a 500:
- a success (2xx/3xx) whose written rows pass ``full_clean()`` and hold no NUL, or
- a refusal that says why and changed nothing (every row of the accounts, teachers,
  observations and coaching apps compared): a 4xx with a body (JSON ``errors`` for the live
  page's script), the form again with an error next to a field or at the top, or a redirect
  with a message;
and no HTML response echoes posted markup unescaped. ``test_stored_script_is_escaped`` saves
``<script>`` through the forms and reads it back, escaped, on the cycle page, "My move", the
brief, the debrief, the teacher page, the live observation, the reflection and the time page.
The search and filter forms (GET) get the fixed values too.

Derandomized under CI, so a failure reproduces; no shrinking (bounded time; the values are
readable as they are). Run it on PostgreSQL too (NUL bytes, over-long and out-of-range values are
database errors there):
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/coaching_fuzz pytest tests/test_fuzz_forms.py``.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from operator import attrgetter
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.signals import got_request_exception
from django.db import DatabaseError, connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from coaching.forms.cycle import LOGGABLE_KINDS
from coaching.models import CoachingCycle, CycleState, IndicatorSeen
from teachers.school_days import SchoolDays
from tests.conftest import IN_CI
from tests.factories import PASSWORD, PersistentProblemFactory
from tests.test_access_sweep import (  # noqa: F401  (sweep: a fixture)
    JSON_HEADERS,
    KWARG_RE,
    TOKEN_KWARGS,
    Route,
    Sweep,
    Target,
    _walk,
    plausible_data,
    sweep,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=IN_CI,  # CI: the same examples every run, so a failure reproduces
    database=None,  # no .hypothesis/ directory in the project
    phases=(Phase.explicit, Phase.generate),  # no shrinking: bounded time; values are readable
    suppress_health_check=[
        # Every request is rolled back: the examples are independent of each other.
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    print_blob=False,
)


@pytest.fixture
def rows(request) -> Sweep:
    """The access sweep's world: targets A, B, OLD and FRESH on coach1's caseload."""
    return request.getfixturevalue("sweep")


# --- The routes that accept POST ----------------------------------------------------------------

# Role -> the user of the sweep's world (tests/test_access_sweep.py) who plays it.
ROLE_USERS = {
    "coach": "coach1",  # owns every target of the sweep's world
    "teacher": "t1a.user",  # the teacher of target A's cycle
    "principal": "principal_a",
    "district leader": "district_leader",
    "administrator": "administrator",
    "anonymous": None,
}
SIGNED_IN = [role for role, user in ROLE_USERS.items() if user]
SKIP_PREFIXES = ("admin/", "static/", "media/")
TARGET_ORDER = ("FRESH", "B", "A")  # rows where a POST can still save (see the sweep's fixture)
FAKE_TOKEN = "fuzz-not-a-token"


def _reflect_data(rows: Sweep, target: Target) -> dict[str, str]:
    return {
        "students_did": "Nineteen boards went up in ten seconds.",
        "indicator_seen": IndicatorSeen.values[0],
        "would_change": "Wait the full three seconds.",
        "engaged_count": "19",
        "present_count": "25",
    }


def _time_log_data(rows: Sweep, target: Target) -> dict[str, str]:
    data = dict(plausible_data("time_entry_edit", target, rows.tz))
    data["cycle"] = str(target.cycle.pk)
    return data


@dataclass(frozen=True)
class FormSpec:
    """Who posts the route's form (a key of ROLE_USERS), to the ids of which targets (the
    first whose base data saves), with which valid data (default: the access sweep's
    plausible data; each variant overrides some of it, None drops a field), and how the page
    sends it besides a plain form post."""

    role: str
    data: Callable[[Sweep, Target], dict[str, str]] | None = None
    targets: tuple[str, ...] = TARGET_ORDER
    modes: tuple[str, ...] = ("form",)  # "htmx": the partial; "json": the live page's script
    variants: dict[str, dict[str, str | None]] = field(default_factory=lambda: {"": {}})
    signs_in: bool = False  # success is a redirect onwards, with no row this test watches

    def base_data(self, name: str, variant: str, rows: Sweep, target: Target) -> dict[str, str]:
        if self.data is not None:
            data = dict(self.data(rows, target))
        else:
            data = dict(plausible_data(name, target, rows.tz))
        data.update(self.variants[variant])
        return {k: v for k, v in data.items() if v is not None}


FUZZED: dict[str, FormSpec] = {
    "login": FormSpec(
        "anonymous", lambda rows, t: {"username": "coach1", "password": PASSWORD}, signs_in=True
    ),
    "reflect": FormSpec("teacher", _reflect_data, targets=("A",)),
    "cycle_share": FormSpec(
        "teacher", lambda rows, t: {"cycle": str(rows["A"].cycle.pk), "shared": "0"}
    ),
    "teacher_profile": FormSpec("coach", modes=("form", "htmx")),
    "problem_open": FormSpec("coach", modes=("form", "htmx")),
    "cycle_start": FormSpec("coach"),
    "move_agree": FormSpec("coach"),
    "cycle_plan": FormSpec("coach"),
    "session_new": FormSpec(
        "coach",
        variants={
            "rehearsal": {},
            "co_planning": {
                "kind": "co_planning",
                "questions_scripted": "Why does the denominator stay?",
                "anticipated_responses": "They add the denominators.",
            },
            "data_review": {
                "kind": "data_review",
                "exit_slips_meeting_pct": "60",
                "misconceptions": "Adding denominators.",
                "next_instructional_step": "Reteach with fraction strips.",
            },
        },
    ),
    "session_edit": FormSpec("coach"),
    "observation_new": FormSpec("coach"),
    "observation_start": FormSpec("coach"),
    "observation_finish": FormSpec("coach", targets=("B", "A")),
    "observation_entry": FormSpec(
        "coach",
        targets=("B", "A"),
        modes=("form", "json"),
        variants={
            "note": {},
            "sweep": {
                "type": "sweep",
                "phase": "after_move",
                "present_count": "25",
                "engaged_count": "19",
                "text": None,
            },
            "evidence": {
                "type": "evidence",
                "kind": "produced",
                "description": "Boards showed 3/4 and 2/4.",
                "text": None,
            },
        },
    ),
    "debrief": FormSpec("coach", targets=("B", "A")),
    "cycle_brief": FormSpec("coach"),
    "revisit_move": FormSpec("coach"),
    "time_log": FormSpec("coach", _time_log_data),
    "time_entry_edit": FormSpec("coach"),
    "calendar_settings": FormSpec("coach", lambda rows, t: {"action": "renew"}),
    # Video clips: starting an upload (the fields the page's script fills from the chosen
    # file), a comment at a time (plain and HTMX), the teacher sharing their clip.
    "clip_list": FormSpec("coach"),
    "clip_comments": FormSpec("coach", modes=("form", "htmx")),
    "clip_share": FormSpec("teacher", targets=("A",)),
    # Erasing a teacher: the district's administrator types the teacher's name.
    "erase_teacher": FormSpec("administrator"),
    # A district's retention: the administrator of the sweep's district sets its years.
    "retention": FormSpec(
        "administrator",
        lambda rows, t: {
            "district": str(rows.world.district.pk),
            f"d{rows.world.district.pk}-years": "3",
        },
    ),
}

# The JSON API's writes (api/viewsets.py) take JSON as well as form data, described by the
# OpenAPI schema: schemathesis fuzzes every operation against the running app from the schema
# (tests/api/test_schemathesis.py), and tests/api/test_viewsets.py checks bad data is a 400.
API_FUZZED = (
    "JSON API: schemathesis fuzzes it from the OpenAPI schema (tests/api/test_schemathesis.py)"
)

# POST routes that are not fuzzed, with the reason.
EXEMPT: dict[str, str] = {
    "logout": "no fields: the button signs the user out (Django takes POST only), nothing stored",
    "roster_index": "a file upload (multipart), not form fields: each malformed bundle and the "
    "form's errors are tested in tests/rosters/ (test_services.py, test_views.py)",
    "roster_import_apply": "no fields: the button applies a finished dry run; refusals tested "
    "in tests/rosters/test_views.py",
    "framework_index": "a file upload (multipart), not form fields: each malformed CSV and the "
    "form's errors are tested in tests/frameworks/ (test_services.py, test_views.py)",
    "framework_activate": "no fields: the button makes a framework active; refusals tested in "
    "tests/frameworks/test_views.py",
    "api-cycle-list": API_FUZZED,
    "api-cycle-close": API_FUZZED,
    "api-agreed-move-list": API_FUZZED,
    "api-observation-list": API_FUZZED,
    "api-observation-start": API_FUZZED,
    "api-observation-finish": API_FUZZED,
    "api-observation-notes": API_FUZZED,
    "api-observation-sweeps": API_FUZZED,
    "api-observation-evidence": API_FUZZED,
    "api-revisit-reschedule": API_FUZZED,
    "api-revisit-complete": API_FUZZED,
    "api-time-entry-list": API_FUZZED,
    "api-time-entry-archive": API_FUZZED,
    "clip_finish": "no fields: the upload's script finishes it (JSON); a finish of a clip not "
    "uploading, incomplete or not a video is tested in tests/clips/ (test_services, test_views)",
    "clip_delete": "no fields: the confirm page's button deletes the teacher's own clip; "
    "tested in tests/clips/test_views.py",
    "api_tokens": "two buttons (create a token, revoke one: a hidden action and token key), "
    "no typed fields; unknown actions and others' keys are tested in tests/api/test_views.py",
    "school_calendar": "the sweep's school calendar is school C's, whose administrator is no "
    "role here; its three forms (weekdays, a day off, an .ics upload) get hostile values from "
    "hypothesis in tests/coaching/test_views_school_calendar.py, bad files in "
    "tests/teachers/test_services_calendar.py",
    "school_calendar_day_remove": "no fields: the confirm page's button removes a day off; "
    "tested in tests/coaching/test_views_school_calendar.py",
}


def all_routes() -> list[Route]:
    """Every route of the project but the admin and static files (sign-in included)."""
    return [r for r in _walk(get_resolver().url_patterns) if not r.route.startswith(SKIP_PREFIXES)]


def url_of(route: Route, target: Target) -> str:
    from tests.test_access_sweep import KWARG_TARGETS

    def value(kwarg: str) -> object:
        if kwarg in TOKEN_KWARGS:
            return FAKE_TOKEN
        return KWARG_TARGETS[kwarg](target)

    return route.url(value)


# --- Requests, rolled back ----------------------------------------------------------------------

WATCHED_APPS = ("accounts", "coaching", "observations", "teachers", "clips")


def _watched_models():
    return [
        m
        for label in WATCHED_APPS
        for m in apps.get_app_config(label).get_models()
        if m._meta.label != "accounts.User"  # last_login moves on a successful sign-in
    ]


def snapshot() -> dict[str, dict[object, dict]]:
    """Every row, every field, of every model of the watched apps, by primary key."""
    return {
        m._meta.label: {row["pk"]: row for row in m._default_manager.values("pk", *_names(m))}
        for m in _watched_models()
    }


def _names(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def changed_rows(before: dict, after: dict) -> dict[str, list]:
    """Model label -> primary keys of the rows added, changed or deleted."""
    changed = {}
    for label, rows in after.items():
        old = before[label]
        pks = [pk for pk, row in rows.items() if old.get(pk) != row]
        pks += [pk for pk in old if pk not in rows]
        if pks:
            changed[label] = pks
    return changed


def invalid_rows(changed: dict[str, list]) -> list[str]:
    """Written rows that break their model's rules, or hold a NUL character."""
    problems = []
    for label, pks in changed.items():
        model = apps.get_model(label)
        if model.__name__.startswith("Historical"):
            continue  # history rows copy the rows checked here
        for obj in model._default_manager.filter(pk__in=pks):
            texts = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(getattr(obj, f.attname), str) and "\x00" in getattr(obj, f.attname)
            ]
            if texts:
                problems.append(f"{label} {obj.pk}: NUL stored in {texts}")
            try:
                obj.full_clean()
            except ValidationError as exc:
                problems.append(f"{label} {obj.pk} stored invalid: {exc.message_dict}")
    return problems


@dataclass
class Outcome:
    status: int
    body: str
    changed: dict[str, list]
    invalid: list[str]
    messages: list[str]
    error: str = ""  # the traceback of a 500
    content_type: str = ""
    location: str = ""


class _Errors:
    """The exception behind a 500 (the test client keeps it only when it raises)."""

    def __init__(self) -> None:
        self.last = ""

    def __call__(self, sender, request=None, **kwargs) -> None:
        self.last = traceback.format_exc(limit=-6)


WRITE_RE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def post(client: Client, url: str, data, mode: str = "form", before: dict | None = None):
    """One POST in a transaction rolled back afterwards: its response, the rows it changed
    (compared with ``before``, the rows as every example meets them) and which of those break
    their model's rules. Rows are compared only when the request wrote to a watched table."""
    before = snapshot() if before is None else before
    tables = {m._meta.db_table for m in _watched_models()}
    writes: list[str] = []

    def watch(execute, sql, params, many, context):
        if (match := WRITE_RE.match(sql)) and match[1] in tables:
            writes.append(match[1])
        return execute(sql, params, many, context)

    errors = _Errors()
    got_request_exception.connect(errors)
    headers = {"htmx": {"HX-Request": "true"}, "json": JSON_HEADERS}.get(mode, {})
    changed: dict[str, list] = {}
    invalid: list[str] = []
    try:
        with transaction.atomic():
            try:
                with transaction.atomic(), connection.execute_wrapper(watch):
                    response = client.post(url, data, headers=headers)
                if writes:
                    changed = changed_rows(before, snapshot())
                    invalid = invalid_rows(changed)
            except DatabaseError as exc:  # the view left the transaction broken: a finding
                response = None
                error = f"database error: {exc!r}"
            transaction.set_rollback(True)
    finally:
        got_request_exception.disconnect(errors)
    if response is None:
        return Outcome(500, "", {}, [], [], error)
    # Only the messages this request added (not ones left from an earlier request).
    storage = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    notes = [str(m) for m in getattr(storage, "_queued_messages", [])]
    return Outcome(
        response.status_code,
        response.content.decode(errors="replace"),
        changed,
        invalid,
        notes,
        errors.last if response.status_code >= 500 else "",
        response.get("Content-Type", ""),
        response.get("Location", ""),
    )


# --- What a response must be --------------------------------------------------------------------

ERROR_MARKERS = ("is-invalid", "invalid-feedback", "alert-danger", "errorlist")
SCRIPT = "<script>alert('fuzz')</script>"
IMG = '"><img src=x onerror=alert(1)>'


def _mentions_error(body: str) -> bool:
    return any(marker in body for marker in ERROR_MARKERS)


def _echoes_markup(outcome: Outcome, data) -> list[str]:
    """Posted markup that comes back unescaped in an HTML response."""
    if "html" not in outcome.content_type:
        return []
    posted = [v for vs in data.values() for v in (vs if isinstance(vs, list) else [vs])]
    return [
        str(value)[:80]
        for value in posted
        if ("<script" in str(value).lower() or "<img" in str(value).lower())
        and str(value) in outcome.body
    ]


def judge(outcome: Outcome, data, mode: str, *, signs_in: bool = False) -> list[str]:
    """What is wrong with the outcome of one POST (empty: a save, or a clear refusal)."""
    status = outcome.status
    if status >= 500:
        return [f"{status}:\n{outcome.error}"]
    problems = []
    if echoed := _echoes_markup(outcome, data):
        problems.append(f"posted markup echoed unescaped: {echoed}")
    if outcome.changed:
        if status >= 400:
            problems.append(f"{status}, yet rows changed: {outcome.changed}")
        elif status == 200 and _mentions_error(outcome.body):
            problems.append(f"an error shows, yet rows changed (half-saved): {outcome.changed}")
        return problems + outcome.invalid
    # Nothing written: a refusal (or nothing to change), and it must say so.
    if status >= 400:
        if not outcome.body.strip():
            problems.append(f"{status} without a reason")
        elif mode == "json" and "errors" not in json.loads(outcome.body):
            problems.append(f"{status} JSON without errors: {outcome.body[:200]}")
    elif status == 200:
        if not _mentions_error(outcome.body):
            problems.append("200, nothing saved and no error shown")
    elif 300 <= status < 400:
        if not outcome.messages and not signs_in:
            problems.append(f"{status} to {outcome.location}, nothing saved and no message")
    else:
        problems.append(f"{status}, nothing saved")
    return problems


# --- The forms of each route --------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The forms of a page sent with ``method``: (action, {field name: input type})."""

    def __init__(self, method: str) -> None:
        super().__init__()
        self.method = method
        self.forms: list[tuple[str | None, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form":
            self._fields = None
            if (attrs.get("method") or "get").lower() == self.method:
                self._fields = {}
                self.forms.append((attrs.get("action"), self._fields))
        elif (
            self._fields is not None
            and tag in ("input", "select", "textarea", "button")
            and (name := attrs.get("name"))
        ):
            kind = tag if tag != "input" else (attrs.get("type") or "text").lower()
            self._fields.setdefault(name, kind)

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self._fields = None


def page_forms(html: str, page_url: str, method: str = "post") -> dict[str, dict[str, str]]:
    """Route name sent to -> {field name: input type} its forms on the page declare."""
    parser = _FormFields(method)
    parser.feed(html)
    found: dict[str, dict[str, str]] = {}
    for action, fields in parser.forms:
        path = urlsplit(action).path if action else urlsplit(page_url).path
        try:
            name = resolve(path).url_name
        except Resolver404:
            continue
        fields.pop("csrfmiddlewaretoken", None)
        for field_name, kind in fields.items():
            found.setdefault(name, {}).setdefault(field_name, kind)
    return found


# Field names are the same in every world the fixture builds: read once per role and target.
_DECLARED: dict[tuple[str, str], dict[str, dict[str, str]]] = {}


def declared_fields(client: Client, role: str, target: Target) -> dict[str, dict[str, str]]:
    """Route name -> {field name: input type}, from every page the client gets with the
    target's ids (each kind of session too: each kind has fields of its own)."""
    key = (role, target.label)
    if key not in _DECLARED:
        found: dict[str, dict[str, str]] = {}
        with transaction.atomic():  # some GETs store a context brief: the rows stay as they were
            for route in all_routes():
                if route.name == "logout" or set(route.kwargs) & TOKEN_KWARGS:
                    continue
                url = url_of(route, target)
                variants = [url]
                if route.name == "session_new":
                    variants += [f"{url}?kind={kind}" for kind, _ in LOGGABLE_KINDS]
                for variant in variants:
                    response = client.get(variant)
                    if response.status_code == 200 and "html" in response["Content-Type"]:
                        for name, fields in page_forms(response.content.decode(), variant).items():
                            found.setdefault(name, {}).update(fields)
            transaction.set_rollback(True)
        _DECLARED[key] = found
    return _DECLARED[key]


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a finding, not a crash
    if user is not None:
        client.force_login(user)
    return client


SCRIPTED = {"taken_at": "hidden"}  # sent by the live page's script with each entry


@dataclass
class FuzzTarget:
    """A route's form as its role posts it: the URL, the valid data (only the fields the
    role's pages declare, and those the page's script adds), the fields to fuzz with their
    input types, and the rows as every example meets them."""

    name: str
    spec: FormSpec
    client: Client
    url: str
    base: dict[str, str]
    fields: dict[str, str]
    html_fields: set[str]
    before: dict = field(default_factory=dict)

    def post(self, data, mode: str = "form") -> Outcome:
        if self.spec.role == "anonymous":
            self.client.cookies.clear()  # a successful sign-in must not carry over
        return post(self.client, self.url, data, mode, self.before)

    def judge(self, outcome: Outcome, data, mode: str) -> list[str]:
        return judge(outcome, data, mode, signs_in=self.spec.signs_in)


def user_of(rows: Sweep, role: str):
    path = ROLE_USERS[role]
    return attrgetter(path)(rows.world) if path else None


def fuzz_target(rows: Sweep, name: str, variant: str) -> FuzzTarget:
    """The route's form: the first target whose base data the role's POST saves."""
    spec = FUZZED[name]
    route = next(r for r in all_routes() if r.name == name)
    client = client_for(user_of(rows, spec.role))
    before = snapshot()
    tried = []
    for label in spec.targets:
        target = rows[label]
        url = url_of(route, target)
        html = declared_fields(client, spec.role, target).get(name, {})
        fields = {**html, **{k: v for k, v in SCRIPTED.items() if k in html or name == k}}
        if name == "observation_entry":
            fields.update(SCRIPTED)
        data = spec.base_data(name, variant, rows, target)
        base = {k: v for k, v in data.items() if k in fields}
        if len(spec.variants) > 1:  # each variant fuzzes its own fields (all post to one URL)
            fields = {k: v for k, v in fields.items() if k in base or k in SCRIPTED}
        form = FuzzTarget(name, spec, client, url, base, fields, set(html), before)
        outcome = form.post(base)
        saved = outcome.status in (302, 303) if spec.signs_in else bool(outcome.changed)
        if saved and outcome.status < 400 and not form.judge(outcome, base, "form"):
            return form
        tried.append(f"{label}: {outcome.status} {form.judge(outcome, base, 'form')}")
    pytest.fail(f"{name} {variant}: the base data saves for no target ({tried})", pytrace=False)


# --- Hostile values -----------------------------------------------------------------------------

HUGE = "x" * 100_000
NUL = "a\x00b"
RTL = "\u202eשלום, עולם 👩🏽‍🏫\u202c"
TEXTS = [
    "",
    " ",
    HUGE,
    "é" * 100_000,  # 200,000 bytes
    NUL,
    "\x00",
    RTL,
    "مرحبا بالعالم",
    "👩🏽‍🏫🎉🧪",
    "\u200b\ufeff",  # zero-width space, byte order mark
    "line\r\nbreak\ttab",
    SCRIPT,
    IMG,
    "{{ request }}{% debug %}",
    "'; DROP TABLE coaching_coachingcycle; --",
    "%s%n%x",
]
NUMBERS = [
    "-1",
    "0",
    "-2147483649",
    "2147483648",
    "32768",
    "65536",
    "9223372036854775808",
    "9" * 30,
    "9" * 5000,
    "-" + "9" * 30,
    "1e3",
    "1.5",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "0x10",
    "١٢",  # Arabic-Indic digits
]
DATES = [
    "2026-02-30",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "yesterday",
    "2026-13-01",
    "31/12/2026",
    "0000-01-01T00:00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30T10:00",
    "2026-01-01T25:61",
    "2026-01-01T10:00+99:00",
]
# The most dangerous values, each tried in each field on its own, by the field's input type.
FIXED_ANY = [NUL, HUGE, SCRIPT, "", None]  # None: the field is left out
FIXED_BY_KIND = {
    "text": [RTL, IMG],
    "textarea": [RTL, IMG],
    "number": ["-1", "9" * 30, "nan", "inf", "1.5"],
    # 0001-01-01 alone in a period's end: the default start before it was out of range (a 500).
    "date": ["2026-02-30", "0000-01-01", "0001-01-01", "0001-01-02", "9999-12-31", "yesterday"],
    "datetime-local": ["9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30T10:00", "yesterday"],
}
FIXED_CHOICE = ["abc", "-1", "99999999999999999999"]  # select, radio, hidden, checkbox, button


def wrong_ids(rows: Sweep) -> list[str]:
    """Ids of rows the role must not reach (another coach's, another school's)."""
    w = rows.world
    return [
        str(pk)
        for pk in (
            w.c2a.pk,  # coach2's cycle, same school
            w.cb.pk,  # school B's cycle
            w.cc.pk,  # another district's cycle
            w.c1a_old.pk,  # coach1's closed cycle
            w.school_b.pk,
            w.school_c.pk,
            PersistentProblemFactory(teacher=w.tb).pk,
            w.tb.pk,
            w.o2a.pk,
        )
    ]


def fixed_values(kind: str, foreign: list[str]) -> list[str | None]:
    if kind in FIXED_BY_KIND:
        return FIXED_ANY + FIXED_BY_KIND[kind]
    return FIXED_ANY + FIXED_CHOICE + foreign[:3]


def values(foreign: list[str]) -> st.SearchStrategy[str]:
    safe_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
    return st.one_of(
        st.sampled_from(TEXTS + NUMBERS + DATES + foreign + FIXED_CHOICE),
        safe_text,
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.dates().map(datetime.date.isoformat),
        st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    )


@st.composite
def hostile_data(draw, form: FuzzTarget, pool: st.SearchStrategy[str]):
    """The base data with some fields replaced, dropped or repeated, and maybe one more."""
    data: dict[str, object] = dict(form.base)
    names = sorted(form.fields) or ["unexpected"]
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    for name in chosen:
        action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "repeat"]))
        if action == "drop":
            data.pop(name, None)
        elif action == "repeat":
            extra = draw(pool)
            data[name] = draw(st.sampled_from([[data.get(name, ""), extra], [extra, extra]]))
        else:
            data[name] = draw(pool)
    if draw(st.booleans()):
        extra = draw(st.sampled_from(["junk", "id", "pk", "coach", "teacher", "school", "user"]))
        data[extra] = draw(pool)
    return data


def fuzz_cases() -> list:
    return [
        pytest.param(name, variant, id=f"{name}-{variant}" if variant else name)
        for name, spec in sorted(FUZZED.items())
        for variant in spec.variants
    ]


def _show(data) -> dict:
    return {k: (v[:50] if isinstance(v, str) else v) for k, v in data.items()}


# --- Every POST route is fuzzed ------------------------------------------------------------------


def post_routes(rows: Sweep) -> dict[str, list[str]]:
    """Route label -> the roles for which a POST is not refused as a method (405). Anonymous
    visitors only probe signing in and out: for every other page, signing in comes first."""
    found: dict[str, list[str]] = {}
    for route in all_routes():
        url = url_of(route, rows["A"])
        for role in ROLE_USERS:
            if role == "anonymous" and route.name not in ("login", "logout"):
                continue
            client = client_for(user_of(rows, role))  # a fresh one: signing out ends a session
            with transaction.atomic():
                status = client.post(url, {"fuzz-probe": "1"}).status_code
                transaction.set_rollback(True)
            if status != 405:
                found.setdefault(route.label, []).append(role)
    return found


def unlisted_problems(found: dict[str, list[str]]) -> list[str]:
    """What is wrong with FUZZED and EXEMPT for the POST routes found."""
    problems = []
    if unlisted := sorted(set(found) - set(FUZZED) - set(EXEMPT)):
        problems.append(
            f"POST routes neither fuzzed nor exempt: {unlisted}. Add each to FUZZED (who posts "
            "it, with which valid data) or to EXEMPT with the reason in tests/test_fuzz_forms.py."
        )
    if stale := sorted((set(FUZZED) | set(EXEMPT)) - set(found)):
        problems.append(f"listed in FUZZED or EXEMPT but take no POST (or are gone): {stale}")
    problems += [
        f"{name}: {spec.role} cannot post it ({found[name]} can)"
        for name, spec in FUZZED.items()
        if name in found and spec.role not in found[name]
    ]
    return problems


def test_every_post_route_is_fuzzed_or_exempt(rows):
    found = post_routes(rows)
    # The probe finds what it must: these take POST, these do not.
    assert {"login", "logout", "debrief", "observation_entry", "cycle_share"} <= set(found)
    assert not {"cycle_detail", "teacher_detail", "calendar_feed", "health"} & set(found)
    assert not (problems := unlisted_problems(found)), "\n".join(problems)
    print(f"\nfuzz: {len(found)} POST routes, {len(FUZZED)} fuzzed, {len(EXEMPT)} exempt")


def test_a_new_post_route_fails_until_it_is_listed(monkeypatch):
    found = {name: [spec.role] for name, spec in FUZZED.items()} | {n: ["coach"] for n in EXEMPT}
    assert not unlisted_problems(found)
    found["reports_new"] = ["coach"]  # a page added later
    assert "neither fuzzed nor exempt: ['reports_new']" in unlisted_problems(found)[0]
    monkeypatch.delitem(FUZZED, "debrief")
    assert "['debrief', 'reports_new']" in unlisted_problems(found)[0]


# --- The fuzz -----------------------------------------------------------------------------------

BUTTONS_ONLY = {"observation_start", "observation_finish", "cycle_brief"}


@pytest.mark.parametrize(("name", "variant"), fuzz_cases())
def test_hostile_values_are_refused_or_saved_valid(rows, name, variant):
    """Positive control first: the base data (only the fields the role's pages declare) saves,
    so a refusal below is the hostile value's. Then the most dangerous values for each field's
    input type, each in one field with the others valid; then random examples, with several
    fields replaced, dropped or repeated at once."""
    form = fuzz_target(rows, name, variant)  # fails unless the base data saves
    assert bool(form.html_fields) != (name in BUTTONS_ONLY), (name, form.html_fields)
    # The page as it first shows has no error marker, so a marker after a POST is an error.
    page = form.client.get(form.url)
    if page.status_code == 200 and name != "login":
        assert not _mentions_error(page.content.decode()), f"{form.url} shows an error marker"
    foreign = wrong_ids(rows)
    form.before = snapshot()  # with the foreign problem just made
    problems = []
    modes = form.spec.modes
    tally = {"saved": 0, "refused": 0}
    for mode in modes:  # nothing at all (``request.POST or None`` took this for a GET)
        problems += [f"[{mode}] empty POST: {p}" for p in form.judge(form.post({}, mode), {}, mode)]
    for field_name, kind in sorted(form.fields.items()):
        for i, value in enumerate(fixed_values(kind, foreign)):
            data = dict(form.base)
            if value is None:
                data.pop(field_name, None)
            else:
                data[field_name] = value
            mode = modes[i % len(modes)]  # a page's ways of posting take turns
            outcome = form.post(data, mode)
            tally["saved" if outcome.changed else "refused"] += 1
            problems += [
                f"[{mode}] {field_name}={value!r:.40}: {p}" for p in form.judge(outcome, data, mode)
            ]
    assert not problems, f"{name} {variant}:\n" + "\n".join(problems[:30])
    if form.html_fields:  # the hostile values met a form that refuses (an empty field at least)
        assert tally["refused"], (name, variant, tally)

    pool = values(foreign)

    @FUZZ_SETTINGS
    @given(data=hostile_data(form, pool), mode=st.sampled_from(form.spec.modes))
    def random_examples(data, mode):
        outcome = form.post(data, mode)
        tally["saved" if outcome.changed else "refused"] += 1
        problems = form.judge(outcome, data, mode)
        assert not problems, f"{name} {variant} [{mode}] {_show(data)}:\n" + "\n".join(problems)

    random_examples()
    print(f"\nfuzz {name} {variant}: {sum(tally.values())} posts, {tally}")


# --- Search and filter forms (GET) --------------------------------------------------------------


def test_search_and_filter_forms_take_hostile_values(rows):
    """The forms pages send by GET (caseload and dashboard filters, the move search): each
    field with the dangerous values, as each role that has the page: never a 500, never
    markup echoed unescaped."""
    found: dict[tuple[str, str], dict[str, str]] = {}  # (role, page URL) -> fields
    for role in SIGNED_IN:
        client = client_for(user_of(rows, role))
        for route in all_routes():
            if route.name == "logout" or set(route.kwargs) & TOKEN_KWARGS:
                continue
            url = url_of(route, rows["A"])
            response = client.get(url)
            if response.status_code == 200 and "html" in response["Content-Type"]:
                for fields in page_forms(response.content.decode(), url, "get").values():
                    found.setdefault((role, url), {}).update(fields)
    pages = {url for _, url in found}
    assert {"/caseload/", "/dashboard/", f"/cycles/{rows['A'].cycle.pk}/move/"} <= pages, pages
    # The lists behind the dashboard's figures take its filters too (no link without a school
    # and a figure, so the walk above does not find them).
    school = rows.world.school_a.pk
    for (role, url), fields in list(found.items()):
        if url == "/dashboard/":
            for figure in ("closed", "overdue_revisits", "off_cadence"):
                found[(role, f"/dashboard/list/?school={school}&figure={figure}")] = fields
    problems = []
    tried = 0
    foreign = wrong_ids(rows)[:3]
    for (role, url), fields in sorted(found.items()):
        client = client_for(user_of(rows, role))
        for field_name, kind in sorted(fields.items()):
            for value in fixed_values(kind, foreign):
                if value is None:
                    continue
                tried += 1
                path, _, query = url.partition("?")
                response = client.get(path, {**QueryDict(query).dict(), field_name: value})
                outcome = Outcome(
                    response.status_code,
                    response.content.decode(errors="replace"),
                    {},
                    [],
                    [],
                    content_type=response.get("Content-Type", ""),
                )
                if response.status_code >= 500 or _echoes_markup(outcome, {"v": value}):
                    problems.append(f"{role} GET {url} {field_name}={value!r:.40}: {response}")
    assert not problems, "\n".join(problems[:30])
    print(f"\nfuzz: {len(found)} search and filter forms, {tried} requests")


# --- The API's JSON: nesting ---------------------------------------------------------------------

DEEP_BODIES = {
    "array 50,000 deep": "[" * 50_000 + "]" * 50_000,  # past Python's recursion limit
    "object 50,000 deep": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "33 deep in a field": '{"minutes": ' + "[" * 33 + "10" + "]" * 33 + "}",  # past the bound
}


def test_every_api_write_refuses_json_nested_too_deep(rows):
    """Every API route with every writing method, as the coach who owns the rows: never a 500;
    wherever the body is read, a 400 that says why, and nothing saved."""
    client = client_for(rows.world.coach1)
    before = snapshot()
    problems = []
    tried = refused_for_depth = 0
    for route in all_routes():
        if not route.route.startswith("api/v1/"):
            continue
        url = url_of(route, rows["A"])
        for name, body in DEEP_BODIES.items():
            for method in ("post", "put", "patch"):
                response = getattr(client, method)(url, body, content_type="application/json")
                tried += 1
                text = response.content.decode(errors="replace")
                if response.status_code >= 500:
                    problems.append(f"{method.upper()} {url} ({name}): {response.status_code}")
                elif response.status_code == 400:
                    refused_for_depth += 1
                    if "nested deeper than 32 levels" not in text:
                        problems.append(f"{method.upper()} {url} ({name}): 400 {text[:80]}")
    assert not problems, "\n".join(problems[:30])
    assert refused_for_depth >= 3 * len(DEEP_BODIES)  # the writes did read their bodies
    assert snapshot() == before
    print(f"\nfuzz: {tried} deep JSON bodies, {refused_for_depth} refused for their depth")


# --- Stored markup is shown as text -------------------------------------------------------------


def test_stored_script_is_escaped(rows):
    """``<script>`` saved through the forms shows as text (escaped) on the pages that show it:
    the cycle page, "My move", the brief, the debrief, the teacher page, the live observation
    and the time pages."""
    w = rows.world
    coach, teacher = client_for(w.coach1), client_for(w.t1a.user)
    a, fresh = rows["A"], rows["FRESH"]
    mark = SCRIPT
    saves = [
        (coach, f"/teachers/{a.teacher.pk}/problems/new/",
         {"statement": mark, "category": "enlisting_participation"}),
        (coach, f"/teachers/{a.teacher.pk}/profile/",
         {**plausible_data("teacher_profile", a, rows.tz), "subject": mark[:60]}),
        (coach, f"/cycles/{fresh.cycle.pk}/move/{fresh.move.pk}/",
         dict.fromkeys(("next_day_action", "script", "success_indicator"), mark)
         | {"due_on": SchoolDays().add(timezone.localdate(), 3).isoformat()}),
        (coach, f"/observations/{a.observation.pk}/entries/", {"type": "note", "text": mark}),
        (coach, f"/observations/{a.observation.pk}/entries/",
         {"type": "evidence", "kind": "said", "description": mark}),
        (coach, f"/cycles/{fresh.cycle.pk}/sessions/new/",
         {**plausible_data("session_new", fresh, rows.tz), "notes": mark, "practised": mark}),
        (coach, "/time/", {**_time_log_data(rows, a), "note": mark[:200]}),
        (teacher, "/my-move/reflect/", {**_reflect_data(rows, a), "students_did": mark,
                                         "would_change": mark}),
    ]  # fmt: skip
    # Cycle A's move is fixed once under way: it is agreed again while A is planned, through
    # the form, for the teacher's "My move".
    CoachingCycle.objects.filter(pk=a.cycle.pk).update(state=CycleState.PLANNED)
    response = coach.post(f"/cycles/{a.cycle.pk}/move/{a.move.pk}/", saves[2][2])
    assert response.status_code == 302, response.status_code
    CoachingCycle.objects.filter(pk=a.cycle.pk).update(state=CycleState.ACTIVE)
    for client, url, data in saves:
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.status_code)
    pages = [
        (coach, f"/cycles/{a.cycle.pk}/"),
        (coach, f"/cycles/{fresh.cycle.pk}/"),
        (coach, f"/cycles/{a.cycle.pk}/brief/"),
        (coach, f"/cycles/{a.cycle.pk}/debrief/"),
        (coach, f"/teachers/{a.teacher.pk}/"),
        (coach, f"/observations/{a.observation.pk}/"),
        (coach, "/time/"),
        (coach, "/caseload/"),
        (teacher, "/my-move/"),
        (teacher, "/my-move/reflect/"),
    ]
    escaped = "&lt;script&gt;alert("
    shown_on = []
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content.decode()
        assert mark not in body and "<script>alert(" not in body, f"unescaped on {url}"
        if escaped in body:
            shown_on.append(url)
    # The texts do show (escaped) where they are read: the test is not vacuous.
    must_show = {
        f"/cycles/{a.cycle.pk}/",
        f"/cycles/{fresh.cycle.pk}/",
        f"/cycles/{a.cycle.pk}/brief/",
        f"/cycles/{a.cycle.pk}/debrief/",
        f"/teachers/{a.teacher.pk}/",
        f"/observations/{a.observation.pk}/",
        "/time/",
        "/my-move/",
        "/my-move/reflect/",
    }
    assert must_show <= set(shown_on), sorted(must_show - set(shown_on))


def test_judge_catches_a_500_a_silent_refusal_and_a_half_save():
    """The judge has teeth: a hand-made outcome for each failure it must report."""
    html = "text/html; charset=utf-8"
    assert judge(Outcome(500, "", {}, [], [], "Traceback"), {}, "form")
    assert judge(Outcome(200, "<form></form>", {}, [], [], content_type=html), {}, "form")
    assert judge(Outcome(302, "", {}, [], [], location="/"), {}, "form")
    assert judge(Outcome(400, "", {}, [], []), {}, "form")
    assert judge(Outcome(400, '{"ok": 1}', {}, [], []), {}, "json")
    assert judge(Outcome(200, "is-invalid", {"x": [1]}, [], [], content_type=html), {}, "form")
    assert judge(Outcome(400, "Bad", {"x": [1]}, [], []), {}, "form")
    assert judge(Outcome(302, "", {"x": [1]}, ["x 1: NUL stored"], []), {}, "form")
    assert judge(Outcome(200, SCRIPT, {}, [], [], content_type=html), {"a": SCRIPT}, "form")
    assert not judge(Outcome(200, "is-invalid", {}, [], [], content_type=html), {}, "form")
    assert not judge(Outcome(302, "", {}, [], ["Refused."]), {}, "form")
    assert not judge(Outcome(302, "", {"x": [1]}, [], []), {}, "form")
    assert not judge(Outcome(302, "", {}, [], []), {}, "form", signs_in=True)


def test_the_fuzz_catches_a_nul_that_reaches_the_database(rows, monkeypatch):
    """With Django's NUL check taken off the forms' text fields, a NUL is stored (SQLite) or
    breaks the query (PostgreSQL): the fuzz's check reports it either way."""
    from django.core import validators
    from django.forms import CharField

    def no_nul_check(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, validators.ProhibitNullCharactersValidator)
        ]

    original_init = CharField.__init__
    monkeypatch.setattr(CharField, "__init__", no_nul_check)
    form = fuzz_target(rows, "problem_open", "")
    data = {**form.base, "statement": NUL}
    problems = form.judge(form.post(data), data, "form")
    assert problems and ("NUL stored" in problems[0] or problems[0].startswith("500")), problems
