"""Access sweep: every URL of the project that takes an id, requested as every role that must
not reach the row it points at.

The routes are enumerated from the URL resolver (the admin, static files, /health/ and the
sign-in pages aside), so a page added later is swept without editing this file, unless its URL
takes an id kind this file does not know: then ``test_every_id_route_is_mapped`` (and every sweep)
fails and says which kwarg to map in ``KWARG_TARGETS``.

Each role requests each route pointed at rows it must not reach (coach1's teachers, cycles,
observations, sessions, revisits, context briefs and time entries), with GET (plain and HTMX),
and POST (empty, plausible form data, and plausible form data as the page's script sends it).
Every response must be a 403 or a 404 (a sign-in redirect for an anonymous visitor; a 405 only
where the method is refused for everybody, the owner included), the same status as for an id that
does not exist (nobody learns that a row exists), never contain the confidential texts planted in
those rows, and leave every row of the coaching, observations and teachers apps as it was: every
request, GETs included, is watched for writes. (A GET may write for the owner: the context brief
page and the debrief page assemble and store a missing or stale brief on demand. For anybody
refused, a GET stores nothing.)

Positive controls with the same setup: the owning coach gets 200 on every page (a redirect on
action-only URLs and on the few pages a closed cycle sends back to the cycle), the planted texts
do show on the owner's pages (the context brief's on the brief page), the owner's plausible POST
really changes rows, the owner's GET of the brief page does store the brief (so the watch for
writes would catch a refused GET doing it), and every swept role reaches its own pages. So the
sweep cannot pass because a user was not signed in, a text is never rendered, or the POST data
was invalid anyway.

Size as of issue 4 (each sweep prints its own): 19 id routes x 8 roles x 5 methods (760
combinations), each against every target the role must not reach (4 targets; 3 for principal_a,
whose shared cycle A has its own test: 19 x 5 - 2 requests), 3,038 requests in all, each compared
with the same request for an id that does not exist.

The bad-input tests at the end record bugs this sweep found (now fixed): far-off dates and a NUL
in a search must give a message, never a 500.
"""

from __future__ import annotations

import datetime
import re
import uuid
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import attrgetter

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import get_object_or_404, resolve_url
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern
from django.utils import timezone

from accounts.models import CalendarFeed
from accounts.services import calendar_feed_renew, calendar_feed_revoke
from coaching import services
from coaching.models import (
    CoachingCycle,
    CoachingSession,
    ContextBrief,
    CycleState,
    Move,
    NeedArea,
    Revisit,
    RevisitStatus,
    SessionKind,
    TimeCategory,
    TimeEntry,
)
from coaching.selectors import PRACTICE_KINDS
from coaching.views import cycle as cycle_views
from coaching.views import observation as observation_views
from notifications.views import FEED_NOT_FOUND
from observations.models import EngagementSample, Observation, ObservationNote, StudentEvidence
from teachers.models import Teacher
from teachers.school_days import SchoolDays
from tests.factories import (
    AgreedMoveFactory,
    CaseloadAssignmentFactory,
    CoachingCycleFactory,
    CoachingSessionFactory,
    DebriefFactory,
    MoveFactory,
    ObservationFactory,
    ObservationNoteFactory,
    PersistentProblemFactory,
    RevisitFactory,
    StudentEvidenceFactory,
    TeacherFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db

# --- The routes -------------------------------------------------------------------------------

# Routes that are not swept: the admin (its own permission system), static files, the health
# check and signing in and out.
SKIP_NAMES = {"login", "logout", "health"}
SKIP_PREFIXES = ("admin/", "static/", "media/", "health/")
KWARG_RE = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
MISSING_ID = 0  # no row has id 0
# URL kwargs that carry a secret, not an id (the calendar feed's token): whoever holds the link
# reads the feed, signed in or not, so such a route is swept for wrong links instead
# (test_calendar_feed_refuses_every_wrong_link), not as an id route.
TOKEN_KWARGS = {"token"}
TOKEN_ROUTES = {"calendar_feed"}

# Pages that exist today; the enumeration must find at least these (so it cannot find nothing).
KNOWN_ID_ROUTES = {
    "teacher_detail",
    "teacher_profile",
    "problem_open",
    "cycle_start",
    "cycle_detail",
    "move_pick",
    "move_agree",
    "cycle_plan",
    "session_new",
    "session_edit",
    "observation_new",
    "observation_live",
    "observation_start",
    "observation_finish",
    "observation_entry",
    "debrief",
    "cycle_brief",
    "revisit_move",
    "time_entry_edit",
    "my_cycle",
    "school_calendar",
    "school_calendar_day_remove",
}


@dataclass(frozen=True)
class Route:
    route: str  # the joined route, e.g. "cycles/<int:cycle_id>/move/<int:move_id>/"
    name: str | None
    kwargs: tuple[str, ...]
    is_regex: bool

    @property
    def label(self) -> str:
        return self.name or self.route

    def url(self, values: Callable[[str], object]) -> str:
        return "/" + KWARG_RE.sub(lambda m: str(values(m["name"])), self.route)

    def url_for(self, target: Target) -> str:
        return self.url(lambda kwarg: KWARG_TARGETS[kwarg](target))

    def missing_url(self) -> str:
        return self.url(lambda kwarg: MISSING_ID)


def _walk(patterns, prefix: str = "", kwargs: tuple = (), regex: bool = False) -> Iterator[Route]:
    for entry in patterns:
        pattern = entry.pattern
        is_regex = regex or isinstance(pattern, RegexPattern)
        if isinstance(pattern, RegexPattern):
            names = tuple(pattern.regex.groupindex)
        else:
            names = tuple(getattr(pattern, "converters", {}) or ())
        route = prefix + str(pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or route.startswith("admin/"):
                continue
            yield from _walk(entry.url_patterns, route, kwargs + names, is_regex)
        else:
            yield Route(route.lstrip("^"), entry.name, kwargs + names, is_regex)


def _all_routes() -> list[Route]:
    static = settings.STATIC_URL.lstrip("/") if settings.STATIC_URL else "static/"
    return [
        r
        for r in _walk(get_resolver().url_patterns)
        if r.name not in SKIP_NAMES and not r.route.startswith((*SKIP_PREFIXES, static))
    ]


def id_routes() -> list[Route]:
    """Every swept route that takes an id; fails the test if one cannot be swept."""
    routes = [r for r in _all_routes() if r.kwargs and not set(r.kwargs) <= TOKEN_KWARGS]
    unmapped = sorted({(r.label, k) for r in routes for k in r.kwargs if k not in KWARG_TARGETS})
    unbuildable = sorted(r.label for r in routes if r.is_regex)
    problems = []
    if unmapped:
        problems.append(
            "URL kwargs the access sweep cannot map to a target row: "
            + ", ".join(f"{name} ({kwarg})" for name, kwarg in unmapped)
            + ". Map each in KWARG_TARGETS (and give the page plausible POST data in "
            "plausible_data) in tests/test_access_sweep.py, so the new page is swept too."
        )
    if unbuildable:
        problems.append(
            "Regex routes the sweep cannot build a URL for: " + ", ".join(unbuildable) + "."
        )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    missing = KNOWN_ID_ROUTES - {r.name for r in routes}
    assert not missing, f"the URL enumeration lost known pages: {sorted(missing)}"
    return routes


def token_routes() -> list[Route]:
    """Every swept route whose URL holds a secret token (and no id)."""
    routes = [r for r in _all_routes() if r.kwargs and set(r.kwargs) <= TOKEN_KWARGS]
    missing = TOKEN_ROUTES - {r.name for r in routes}
    assert not missing, f"the URL enumeration lost token routes: {sorted(missing)}"
    return routes


def plain_routes() -> list[Route]:
    return [r for r in _all_routes() if not r.kwargs]


# --- The target rows and their confidential texts ----------------------------------------------


@dataclass
class Target:
    """Rows for every kind of id, all on coach1's caseload, with planted confidential texts
    that all start with ``tag``."""

    label: str
    tag: str
    teacher: Teacher
    cycle: CoachingCycle
    observation: Observation
    session: CoachingSession
    entry: TimeEntry
    move: Move
    revisit: Revisit
    secrets: dict[str, str]
    # A dry run of the other district's roster (rosters app), set by the sweep's fixture: its
    # owner is that district's administrator (world.roster_administrator), not coach1.
    roster_import: object = None
    # The cycle's video clip (clips app), uploaded by coach1, set by the sweep's fixture.
    clip: object = None
    # A framework of the other district (frameworks app), set by the sweep's fixture: its owner
    # is that district's administrator too.
    framework: object = None
    # A holiday of school C (the other district), set by the sweep's fixture: its school's
    # calendar is edited by that district's administrator, nobody swept.
    non_school_day: object = None


KWARG_TARGETS: dict[str, Callable[[Target], int]] = {
    "teacher_id": lambda t: t.teacher.pk,
    "cycle_id": lambda t: t.cycle.pk,
    # Library moves are not confidential: the move's page is reached through the cycle.
    "move_id": lambda t: t.move.pk,
    "session_id": lambda t: t.session.pk,
    "observation_id": lambda t: t.observation.pk,
    "entry_id": lambda t: t.entry.pk,
    "revisit_id": lambda t: t.revisit.pk,
    # The JSON API (api/urls.py): a school's process data is no secret inside the school; an
    # agreed move is content, reached by its own id.
    "school_id": lambda t: t.teacher.school_id,
    "agreed_move_id": lambda t: t.cycle.agreed_move.pk,
    "import_id": lambda t: t.roster_import.pk,
    # Video clips: the clip of the target's cycle (content: its title and comments are planted).
    "clip_id": lambda t: t.clip.pk,
    "framework_id": lambda t: t.framework.pk,
    # The school calendar: school C's page and one of its holidays (the other district).
    "school_slug": lambda t: t.non_school_day.school.slug,
    "day_id": lambda t: t.non_school_day.pk,
}


def _secrets(tag: str, kinds: tuple[str, ...]) -> dict[str, str]:
    # Letters, digits and spaces only: nothing the templates would escape.
    return {kind: f"{tag} {kind}" for kind in kinds}


OBSERVED_SECRETS = (
    "assessment evidence",
    "script",
    "next day action",
    "session note",
    "observation note",
    "student evidence",
    "what students showed",
    "next step",
    "teacher reflection",
    "revisit reason",
)

# Texts of a target that its context brief shows (on /cycles/<id>/brief/ and the debrief page).
BRIEF_SECRETS = ("next day action", "next step", "teacher reflection")


def _plant(label: str, cycle: CoachingCycle, observation: Observation, move: Move, coach):
    """Confidential texts in every kind of content of ``cycle`` and its observation."""
    tag = f"SWEEP{label}{uuid.uuid4().hex[:10]}"
    s = _secrets(tag, OBSERVED_SECRETS)
    cycle.assessment.evidence = s["assessment evidence"]
    cycle.assessment.save()
    AgreedMoveFactory(
        cycle=cycle, move=move, script=s["script"], next_day_action=s["next day action"]
    )
    now = timezone.now()
    session = CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.CO_PLANNING,
        held_at=now - datetime.timedelta(days=2),
        questions_scripted="Why does the denominator stay the same?",
        notes=s["session note"],
    )
    debrief = CoachingSessionFactory(
        cycle=cycle,
        kind=SessionKind.DEBRIEF,
        held_at=now - datetime.timedelta(days=1),
        duration_minutes=20,
        notes="",
    )
    DebriefFactory(
        session=debrief,
        students_showed=s["what students showed"],
        next_step=s["next step"],
        teacher_reflection=s["teacher reflection"],
    )
    ObservationNoteFactory(observation=observation, text=s["observation note"])
    StudentEvidenceFactory(observation=observation, description=s["student evidence"])
    entry = TimeEntryFactory(coach=coach, cycle=cycle, category=TimeCategory.ADMIN, minutes=45)
    return tag, s, session, entry


@dataclass
class Sweep:
    world: object
    targets: dict[str, Target]
    tz: zoneinfo.ZoneInfo

    def __getitem__(self, label: str) -> Target:
        return self.targets[label]


@pytest.fixture
def sweep(school_world) -> Sweep:
    """Four targets on coach1's caseload at school A:

    - ``A``: t1a's open cycle c1a (shared with the principal), made active, with observation o1a,
      a scheduled revisit and no context brief yet (the owner's GET assembles it);
    - ``B``: t1b's open cycle c1b (not shared), made active, with observation o1b, a scheduled
      revisit and a stored context brief made stale by the texts planted after it;
    - ``OLD``: t1a's closed, unshared cycle c1a_old with observation o1a_old, a cancelled
      revisit and the context brief stored before it closed (planted first, so that A's debrief
      is t1a's latest);
    - ``FRESH``: rows in a state where the owner's POST changes them: a teacher with no cycle,
      a planned cycle with its move agreed, no plan yet and a scheduled revisit, a visit not
      started, a planned session, a manual time entry.
    """
    w = school_world
    move = MoveFactory(need_area=NeedArea.DELIVERY, name="Boards up on hinge questions")
    today = timezone.localdate()
    targets = {}
    for label, cycle, observation in [
        ("OLD", w.c1a_old, w.o1a_old),
        ("A", w.c1a, w.o1a),
        ("B", w.c1b, w.o1b),
    ]:
        if label == "B":
            services.context_brief_build(cycle=cycle)  # stale once the texts below land
        tag, secrets, session, entry = _plant(label, cycle, observation, move, w.coach1)
        if label == "OLD":
            services.context_brief_build(cycle=cycle)  # the brief it had when it closed
            revisit = RevisitFactory(
                cycle=cycle,
                due_on=today - datetime.timedelta(days=20),
                status=RevisitStatus.CANCELLED,
                reason=secrets["revisit reason"],
            )
        else:
            CoachingCycle.objects.filter(pk=cycle.pk).update(state=CycleState.ACTIVE)
            revisit = RevisitFactory(cycle=cycle, reason=secrets["revisit reason"])
        cycle.refresh_from_db()
        targets[label] = Target(
            label, tag, cycle.teacher, cycle, observation, session, entry, move, revisit, secrets
        )
    assert not ContextBrief.objects.get(cycle=w.c1a_old).is_stale
    assert ContextBrief.objects.get(cycle=w.c1b).is_stale
    assert not ContextBrief.objects.filter(cycle=w.c1a).exists()

    tag = f"SWEEPFRESH{uuid.uuid4().hex[:10]}"
    secrets = _secrets(tag, ("assessment evidence", "script", "revisit reason"))
    fresh_teachers = [TeacherFactory(school=w.school_a) for _ in range(3)]
    for teacher in fresh_teachers:
        CaseloadAssignmentFactory(coach=w.coach1, teacher=teacher)
    unplanned = CoachingCycleFactory(
        teacher=fresh_teachers[1],
        coach=w.coach1,
        assessment__evidence=secrets["assessment evidence"],
    )
    AgreedMoveFactory(cycle=unplanned, move=move, script=secrets["script"])
    fresh_revisit = RevisitFactory(cycle=unplanned, reason=secrets["revisit reason"])
    with_visit = CoachingCycleFactory(teacher=fresh_teachers[2], coach=w.coach1)
    AgreedMoveFactory(cycle=with_visit, move=move)
    now = timezone.now()
    visit = ObservationFactory(
        cycle=with_visit, started_at=None, scheduled_for=now + datetime.timedelta(hours=2)
    )
    planned_session = CoachingSessionFactory(
        cycle=with_visit,
        kind=SessionKind.REHEARSAL,
        held_at=None,
        scheduled_for=now + datetime.timedelta(days=1),
        duration_minutes=None,
        notes="",
    )
    entry = TimeEntryFactory(
        coach=w.coach1, school=w.school_a, category=TimeCategory.ADMIN, minutes=45
    )
    targets["FRESH"] = Target(
        "FRESH",
        tag,
        fresh_teachers[0],
        unplanned,
        visit,
        planned_session,
        entry,
        move,
        fresh_revisit,
        secrets,
    )
    _plant_roster_imports(w, targets)
    _plant_clips(w, targets)
    _plant_frameworks(w, targets)
    _plant_school_calendars(w, targets)
    return Sweep(w, targets, zoneinfo.ZoneInfo(w.school_a.time_zone))


def _plant_roster_imports(w, targets: dict[str, Target]) -> None:
    """Rosters: per target, a finished dry run of the other district (school C's), made by its
    administrator (``world.roster_administrator``), the planted file name on its page. Nobody
    swept administers that district: the district administrator of A and B must not reach it."""
    from rosters.models import ImportStatus, RosterImport
    from teachers.models import Membership, Role
    from tests.factories import UserFactory
    from tests.rosters.bundles import bundle_files, zip_bytes

    admin = UserFactory(username="roster_admin_c")
    Membership.objects.create(user=admin, role=Role.ADMINISTRATOR, district=w.other_district)
    w.roster_administrator = admin
    data = zip_bytes(bundle_files())
    for target in targets.values():
        target.secrets["roster file"] = f"{target.tag} roster file"
        target.roster_import = RosterImport.objects.create(
            created_by=admin,
            district=w.other_district,
            file_name=target.secrets["roster file"],
            file_data=data,
            dry_run=True,
            status=ImportStatus.DONE,
        )


def _plant_frameworks(w, targets: dict[str, Target]) -> None:
    """Frameworks: per target, an inactive framework of the other district (school C's), the
    planted name on its page; its owner is that district's administrator. The district
    administrator of A and B must not reach it."""
    from frameworks.models import Framework

    for target in targets.values():
        target.secrets["framework name"] = f"{target.tag} framework name"
        target.framework = Framework.objects.create(
            district=w.other_district, name=target.secrets["framework name"], is_active=False
        )


def _plant_school_calendars(w, targets: dict[str, Target]) -> None:
    """School calendars: per target, a holiday of school C (the other district), the planted
    name on its calendar page. Its calendar is edited by that district's administrator
    (``world.roster_administrator``): no swept role leads school C."""
    from teachers.services import non_school_day_add

    start = timezone.localdate() + datetime.timedelta(days=30)
    for i, target in enumerate(targets.values()):
        target.secrets["school calendar day"] = f"{target.tag} school calendar day"
        target.non_school_day = non_school_day_add(
            school=w.school_c,
            starts_on=start + datetime.timedelta(days=i),
            name=target.secrets["school calendar day"],
        )


def _plant_clips(w, targets: dict[str, Target]) -> None:
    """Clips: per target, a clip of its cycle uploaded by coach1, unshared, with the planted
    title and a comment. Processed (its video and poster stored) but FRESH's, whose bytes are
    all in and not yet finished (so the owner's finish POST saves)."""
    from django.core.files.base import ContentFile

    from clips.models import Clip, ClipComment, ClipStatus
    from clips.storage import clip_storage, part_path

    head = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    for label, target in targets.items():
        for kind in ("clip title", "clip comment"):
            target.secrets[kind] = f"{target.tag} {kind}"
        clip = Clip.objects.create(
            cycle=target.cycle,
            uploaded_by=w.coach1,
            title=target.secrets["clip title"],
            original_name="lesson.mp4",
            content_type="video/mp4",
            size_bytes=len(head),
            received_bytes=len(head),
        )
        if label == "FRESH":
            part_path(clip.upload_key).write_bytes(head)
        else:
            storage = clip_storage()
            clip.file.name = storage.save(f"{clip.upload_key.hex}.mp4", ContentFile(head))
            clip.poster.name = storage.save(f"{clip.upload_key.hex}.jpg", ContentFile(b"\xff\xd8"))
            clip.status, clip.duration_seconds = ClipStatus.READY, 3.0
            clip.save()
        ClipComment.objects.create(
            clip=clip, author=w.coach1, at_seconds=1, body=target.secrets["clip comment"]
        )
        target.clip = clip


# Pages only the cycle's teacher reaches: the teacher's own read-only page of a cycle
# (coaching.access.own_cycle_get_for_user) and a clip's share and delete (clips.access OWN); and
# the clip pages the teacher of the cycle reaches besides its coach (watching, commenting).
TEACHER_ONLY_ROUTES = {"my_cycle", "clip_share", "clip_delete"}
TEACHER_CLIP_ROUTES = TEACHER_ONLY_ROUTES | {
    "clip_list",
    "clip_detail",
    "clip_comments",
    "clip_video",
    "clip_poster",
}
# FRESH's clip is not processed yet: no video or poster to serve (404 for the owner too).
CLIP_NOT_READY = {("FRESH", "clip_video"), ("FRESH", "clip_poster")}


def owner_client(
    route: Route, sweep: Sweep, coach_client: Client, target: Target | None = None
) -> Client | None:
    """The owner of the teacher-only pages (a cycle's own page, a clip's share and delete) is
    the cycle's teacher: None when that teacher has no sign-in (nobody owns those pages then)."""
    if route.name in TEACHER_ONLY_ROUTES:
        user = target.teacher.user if target is not None else None
        return client_for(user) if user is not None else None
    return _row_owner_client(route, sweep, coach_client)


# Erasing a teacher (privacy app): the page of a teacher of the district, for the district's
# administrator. The swept administrator of A and B therefore reaches it for every target
# (200, no planted text shown, nothing erased by a POST without the teacher's name typed).
ERASURE_ROUTES = {"erase_teacher"}
ERASERS = {"administrator (district role)"}


def _row_owner_client(route: Route, sweep: Sweep, coach_client: Client) -> Client:
    """Who owns the rows a route's URL points at: coach1, but the other district's
    administrator for the roster import, framework and school calendar pages, and the
    district's administrator for the erasure of a teacher."""
    if {"import_id", "framework_id", "school_slug"} & set(route.kwargs):
        return client_for(sweep.world.roster_administrator)
    if route.name in ERASURE_ROUTES:
        return client_for(sweep.world.administrator)
    return coach_client


def plausible_data(name: str | None, target: Target, tz: zoneinfo.ZoneInfo) -> dict[str, str]:
    """Form data that the owning coach's POST would save on that page (the owner control checks
    that it does). An unknown page gets every field of every form."""
    now = timezone.localtime(timezone=tz).replace(second=0, microsecond=0)
    today = now.date()
    tomorrow = (now + datetime.timedelta(days=1)).replace(hour=10, minute=0)

    def at(value: datetime.datetime) -> str:
        return value.strftime("%Y-%m-%dT%H:%M")

    plan = {"observation_at": at(tomorrow), "focus": "How many boards go up"}
    for i, kind in enumerate(SessionKind.values):
        # Practice before the observation, the review and the debrief after it.
        step = datetime.timedelta(hours=i + 1)
        plan[f"{kind}_include"] = "on"
        plan[f"{kind}_at"] = at(tomorrow - step if kind in PRACTICE_KINDS else tomorrow + step)
    forms = {
        "teacher_profile": {
            "subject": "Physics",
            "grade_band": "6_8",
            "years_experience": "7",
            "disposition": "skeptical",
            "orientation": "learning",
            "time_focus": "future",
        },
        "problem_open": {
            "statement": "Pupils stop at the first hard step.",
            "category": "enlisting_participation",
        },
        "cycle_start": {
            "evidence": "Four of 26 students answered the hinge question.",
            "need_area": NeedArea.DELIVERY,
            "rationale": "The plan is sound; delivery is the gap.",
        },
        "move_agree": {
            "next_day_action": "Boards up on every hinge question in period 2.",
            "script": "Everyone, boards up in 3, 2, 1.",
            "success_indicator": "22 of 26 boards up within 10 seconds.",
            "due_on": SchoolDays().add(today, 1).isoformat(),
        },
        "cycle_plan": plan,
        "session_new": {
            "kind": SessionKind.REHEARSAL,
            "held_at": at(now - datetime.timedelta(hours=1)),
            "duration_minutes": "30",
            "practised": "The countdown before boards go up.",
            "rounds": "3",
            "feedback_given": "Wait the full three seconds.",
            "notes": "Rehearsed twice.",
        },
        "session_edit": {
            "held_at": at(now - datetime.timedelta(hours=1)),
            "duration_minutes": "40",
            "questions_scripted": "Why does the denominator stay the same?",
            "practised": "The countdown before boards go up.",
            "rounds": "2",
            "exit_slips_meeting_pct": "60",
            "misconceptions": "Adding denominators.",
            "notes": "Recorded after the session.",
        },
        "observation_new": {"scheduled_for": at(tomorrow), "focus": "How many boards go up"},
        "observation_start": {},
        "observation_finish": {},
        "observation_entry": {
            "type": "note",
            "text": "Boards up after six seconds.",
            "client_id": str(uuid.uuid4()),
            "taken_at": now.isoformat(),
        },
        "debrief": {
            "students_showed": "21 of 26 boards up within ten seconds.",
            "indicator_met": "yes",
            "next_step": "Add a why prompt after the boards.",
            "teacher_reflection": "Calmer than cold calling.",
            "duration_minutes": "20",
            "decision": "continue",
            "revisit_due_on": SchoolDays().add(today, 10).isoformat(),  # in the window
        },
        # Empty: the POST assembles the brief again.
        "cycle_brief": {},
        # The district's administrator types the teacher's name: the teacher is erased.
        "erase_teacher": {
            "confirm_name": f"{target.teacher.first_name} {target.teacher.last_name}",
        },
        "revisit_move": {
            "due_on": SchoolDays().add(today, 5).isoformat(),
            "off_rule_reason": "Before the window, on purpose.",
        },
        "time_entry_edit": {
            "category": TimeCategory.MEETINGS,
            "minutes": "30",
            "entry_date": today.isoformat(),
            "note": "Corrected",
        },
        # Video clips (clips app): starting an upload (the page's script sends the chosen
        # file's name, size and type), finishing one, a comment, sharing (the teacher's).
        "clip_list": {
            "title": "Boards up, period 2",
            "name": "lesson.mp4",
            "size": "1000",
            "type": "video/mp4",
        },
        "clip_finish": {},
        "clip_comments": {"at": "0:01", "body": "Boards up within five seconds here."},
        "clip_share": {"shared": "1"},
        "clip_delete": {},
        # The JSON API's actions (api/viewsets.py), as form data (the API parses it too).
        "api-cycle-close": {"outcome": "mastered"},
        "api-observation-start": {},
        "api-observation-finish": {},
        "api-observation-notes": {"text": "Boards up after six seconds."},
        "api-observation-sweeps": {
            "phase": "before_move",
            "engaged_count": "12",
            "present_count": "25",
        },
        "api-observation-evidence": {"kind": "said", "description": "Boards up, all of them."},
        # 12 school days ahead: in the window (10 to 20 school days after the last touch) of a
        # cycle touched today (A, B) as of one opened a week ago (FRESH), whatever the weekday.
        "api-revisit-reschedule": {"due_on": SchoolDays().add(today, 12).isoformat()},
        "api-revisit-complete": {},
        "api-time-entry-archive": {},
        # The school calendar (school C's): a holiday added; removing one needs no data.
        "school_calendar": {
            "action": "add",
            "day-name": "Snow day",
            "day-starts_on": (today + datetime.timedelta(days=3)).isoformat(),
        },
        "school_calendar_day_remove": {},
    }
    if name in forms:
        return forms[name]
    merged: dict[str, str] = {}
    for data in forms.values():
        merged.update(data)
    return merged


# --- Requests ----------------------------------------------------------------------------------

JSON_HEADERS = {"HX-Request": "true", "X-Requested-With": "fetch", "Accept": "application/json"}
METHODS = ("GET", "GET (HTMX)", "POST (empty)", "POST (form)", "POST (form, HTMX/fetch)")
LOGIN_URL = resolve_url(settings.LOGIN_URL)
WATCHED_APPS = ("coaching", "observations", "teachers", "rosters", "frameworks", "clips")


def _watched_models():
    return [m for label in WATCHED_APPS for m in apps.get_app_config(label).get_models()]


def _snapshot_queries() -> list[tuple[str, str]]:
    quote = connection.ops.quote_name
    return [
        (
            m._meta.label,
            f"SELECT * FROM {quote(m._meta.db_table)} ORDER BY {quote(m._meta.pk.column)}",
        )
        for m in _watched_models()
    ]


def snapshot() -> dict[str, list[tuple]]:
    """Every row, every column, of every model (history included) of the watched apps, read
    with plain SQL (the ORM's query building would triple the sweep's time)."""
    with connection.cursor() as cursor:
        found = {}
        for label, sql in _snapshot_queries():
            cursor.execute(sql)
            found[label] = cursor.fetchall()
    return found


def changed_models(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a finding, not a crash
    if user is not None:
        client.force_login(user)
    return client


WRITE_RE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Statements that cannot change a row: after a request that ran only these, its rows are the
# rows before it, and the row-by-row comparison is skipped.
READ_ONLY_RE = re.compile(
    r"^\s*(SELECT|SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\b", re.IGNORECASE
)


def send(client: Client, method: str, url: str, data: dict, before: dict | None = None):
    """One request, rolled back afterwards so every request meets the same rows. Returns the
    response and what it changed: every INSERT, UPDATE or DELETE it ran on a table of the
    watched apps, and (when ``before`` is given) the models whose rows differ afterwards."""
    tables = {m._meta.db_table for m in _watched_models()}
    writes: list[str] = []
    others: list[str] = []  # statements that might change a row

    def watch_writes(execute, sql, params, many, context):
        if (match := WRITE_RE.match(sql)) and match[2] in tables:
            writes.append(f"{match[1].split()[0].upper()} {match[2]}")
        if not READ_ONLY_RE.match(sql):
            others.append(sql)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(watch_writes):
        if method == "GET":
            response = client.get(url)
        elif method == "GET (HTMX)":
            response = client.get(url, headers={"HX-Request": "true"})
        elif method == "POST (empty)":
            response = client.post(url, {})
        elif method == "POST (form)":
            response = client.post(url, data)
        elif method == "POST (form, HTMX/fetch)":
            response = client.post(url, data, headers=JSON_HEADERS)
        else:  # pragma: no cover
            raise AssertionError(method)
        changed = sorted(set(writes))
        if before is not None and others:
            changed += [f"rows of {label}" for label in changed_models(before, snapshot())]
        transaction.set_rollback(True)
    return response, changed


def body_text(response) -> str:
    """The response's body as text (a streamed file, such as a clip, read whole)."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def leaked(response, targets) -> list[str]:
    """The planted texts (or their tags, should a page cut a text short) a response shows."""
    text = body_text(response) + " " + response.get("Location", "")
    found = []
    for target in targets:
        if target.tag in text:
            kinds = [kind for kind, secret in target.secrets.items() if secret in text]
            found += [f"{target.label}/{kind}" for kind in kinds] or [f"{target.label}/tag"]
    return found


def is_sign_in_redirect(response) -> bool:
    return response.status_code in (301, 302) and response.get("Location", "").startswith(
        LOGIN_URL + "?"
    )


class MethodRefusals:
    """Whether a method is refused (405) on a route for everybody, the owner included: then a
    405 says nothing about the row."""

    def __init__(self, owner_client: Client) -> None:
        self.owner = owner_client
        self.cache: dict[tuple[str, str], bool] = {}

    def __call__(self, route: Route, method: str) -> bool:
        key = (route.route, method)
        if key not in self.cache:
            response, _ = send(self.owner, method, route.missing_url(), {})
            self.cache[key] = response.status_code == 405
        return self.cache[key]


# --- The JSON API ---------------------------------------------------------------------------------

API_PREFIX = "api/"
API_PROCESS = ("schools", "teachers", "cycles", "observations", "revisits")
ALL_API = ("A", "B", "OLD", "FRESH")
# Role -> API resource -> the targets whose row that role may GET (200, process fields; content
# only where the role READs it, checked by the leak check against the role's unreadable
# targets). Anything else must be refused like any page. Agreed moves are content as a whole.
API_VIEWABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "coach2 (same school)": {"schools": ALL_API},
    "coach_b (other school)": {},
    "principal_a (unshared cycles)": dict.fromkeys(API_PROCESS, ALL_API),
    "district_leader": dict.fromkeys(API_PROCESS, ALL_API),
    "administrator (district role)": dict.fromkeys(API_PROCESS, ALL_API),
    "t2a.user (another teacher)": {"schools": ALL_API},
    # The teacher of A and OLD: their own rows (READ: their own cycles' content too).
    "t1a.user (own cycle, coach pages)": {
        "schools": ALL_API,
        **dict.fromkeys((*API_PROCESS[1:], "agreed-moves"), ("A", "OLD")),
    },
    "anonymous": {},
}


def is_api(route: Route) -> bool:
    return route.route.startswith(API_PREFIX)


def api_may_view(role: str, route: Route, target: Target, method: str) -> bool:
    """Whether ``role`` may GET the API row ``route`` points at for ``target``."""
    if not (is_api(route) and method.startswith("GET") and route.name.endswith("-detail")):
        return False
    resource = route.route.removeprefix("api/v1/").split("/")[0]
    return target.label in API_VIEWABLE.get(role, {}).get(resource, ())


# --- Roles --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleSpec:
    user: str | None  # attribute path on the school world; None: anonymous
    sweep: tuple[str, ...]  # targets swept
    unreadable: tuple[str, ...]  # targets whose texts must never show on any page
    # Targets whose clip pages and own cycle page (TEACHER_CLIP_ROUTES) are the role's own: not
    # swept (the teacher watches, comments on, shares and deletes their clips, tests/clips/
    # checks them; reads their cycle's page, tests/coaching/test_views_my_cycle.py checks it).
    owns_clips: tuple[str, ...] = ()


ALL = ("A", "B", "OLD", "FRESH")
ROLES: dict[str, RoleSpec] = {
    "coach2 (same school)": RoleSpec("coach2", ALL, ALL),
    "coach_b (other school)": RoleSpec("coach_b", ALL, ALL),
    # c1a (A) is shared with the principal: see test_principal_reads_only_the_shared_cycle_page.
    "principal_a (unshared cycles)": RoleSpec(
        "principal_a", ("B", "OLD", "FRESH"), ("B", "OLD", "FRESH")
    ),
    "district_leader": RoleSpec("district_leader", ALL, ALL),
    "administrator (district role)": RoleSpec("administrator", ALL, ALL),
    "t2a.user (another teacher)": RoleSpec("t2a.user", ALL, ALL),
    # t1a owns A and OLD: the coach's pages of their own cycles stay closed to them.
    "t1a.user (own cycle, coach pages)": RoleSpec(
        "t1a.user", ALL, ("B", "FRESH"), owns_clips=("A", "OLD")
    ),
    "anonymous": RoleSpec(None, ALL, ALL),
}


def user_of(sweep: Sweep, role: str):
    path = ROLES[role].user
    return attrgetter(path)(sweep.world) if path else None


def run_sweep(role: str, client: Client, sweep: Sweep, labels, refused, exempt=frozenset()):
    """Request every id route for the targets ``labels`` with every method; return (number of
    requests, problems). No response may show a text of any target."""
    routes = id_routes()
    targets = [sweep[label] for label in labels]
    all_targets = list(sweep.targets.values())
    # The API shows a role what it may READ (its own cycles, for the teacher): no text of the
    # targets the role may not read.
    spec = ROLES.get(role)
    api_unreadable = [sweep[label] for label in spec.unreadable] if spec else all_targets
    before = snapshot()
    problems: list[str] = []
    tried = 0
    missing_status: dict[tuple[str, str], int] = {}
    for route in routes:
        for target in targets:
            url = route.url_for(target)
            assert resolve(url).route == route.route, (url, route.route)
            if spec and target.label in spec.owns_clips and route.name in TEACHER_CLIP_ROUTES:
                continue  # the teacher's own clip pages
            data = plausible_data(route.name, target, sweep.tz)
            for method in METHODS:
                if (route.name, method) in exempt:
                    continue
                tried += 1
                # Every request is watched for writes; a POST's rows are compared one by one.
                compare = before if method.startswith("POST") else None
                response, changed = send(client, method, url, data, compare)
                status = response.status_code
                where = f"{role}: {method} {url} ({route.label}, target {target.label})"
                may_erase = role in ERASERS and route.name in ERASURE_ROUTES
                if changed and not may_erase:
                    problems.append(f"{where}: changed {changed}")
                if leaks := leaked(response, api_unreadable if is_api(route) else all_targets):
                    problems.append(f"{where}: response shows {leaks}")
                if api_may_view(role, route, target, method):
                    if status != 200:
                        problems.append(f"{where}: {status}, expected 200 (the API row)")
                    continue
                if may_erase:
                    # The confirmation or the form refused without the name (200); with the
                    # name, erased (302).
                    expected = (302,) if method.startswith("POST (form") else (200,)
                    if status not in expected:
                        problems.append(f"{where}: {status}, expected {expected} (erasure)")
                    continue
                if status == 405 and refused(route, method):
                    pass
                elif role == "anonymous":
                    unauthorized = is_api(route) and status == 401
                    if not (is_sign_in_redirect(response) or status in (403, 404) or unauthorized):
                        problems.append(f"{where}: {status}, not a sign-in redirect, 403 or 404")
                elif status not in (403, 404):
                    problems.append(f"{where}: {status}, expected 403 or 404")
                key = (route.route, method)
                if key not in missing_status:
                    missing, _ = send(client, method, route.missing_url(), data)
                    missing_status[key] = missing.status_code
                if status != missing_status[key]:
                    problems.append(
                        f"{where}: {status}, but {missing_status[key]} for an id that does not "
                        "exist (the difference reveals that the row exists)"
                    )
    return tried, problems


def report(role: str, routes: int, targets: int, tried: int) -> None:
    print(
        f"\naccess sweep: {role}: {routes} id routes x {targets} targets x {len(METHODS)} "
        f"methods = {tried} requests"
    )


# --- The routes themselves ----------------------------------------------------------------------


def test_every_id_route_is_mapped_and_buildable(sweep):
    routes = id_routes()
    for route in routes:
        for target in sweep.targets.values():
            match = resolve(route.url_for(target))
            assert match.route == route.route
            assert set(match.kwargs) == set(route.kwargs)


def test_an_unmapped_url_kwarg_fails_the_sweep(monkeypatch):
    """A page whose URL takes an id of a new kind must fail the sweep, not pass unswept."""
    monkeypatch.delitem(KWARG_TARGETS, "entry_id")
    with pytest.raises(pytest.fail.Exception, match=r"time_entry_edit \(entry_id\)"):
        id_routes()


# --- Positive controls --------------------------------------------------------------------------


# Pages of the closed cycle OLD that send its coach back to the cycle page instead: the plan
# page, and moving its revisit (a cancelled one).
BACK_TO_THE_CYCLE = {("OLD", "cycle_plan"), ("OLD", "revisit_move")}


def test_owner_gets_every_page_and_sees_the_planted_texts(sweep):
    """coach1 reaches every id route of every target (200 on GET; a redirect on action-only
    URLs), and the planted texts do show on coach1's pages."""
    owner = client_for(sweep.world.coach1)
    problems = []
    for label, target in sweep.targets.items():
        bodies = []
        for route in id_routes():
            url = route.url_for(target)
            data = plausible_data(route.name, target, sweep.tz)
            client = owner_client(route, sweep, owner, target)
            if client is None:
                continue  # a teacher-only clip page of a teacher with no sign-in
            response, _ = send(client, "GET", url, data)
            bodies.append(body_text(response))
            if response.status_code == 200:
                continue
            if (label, route.name) in CLIP_NOT_READY and response.status_code == 404:
                continue
            if response.status_code == 405:  # action-only: the owner's POST reaches the view
                response, _ = send(client, "POST (empty)", url, data)
                if response.status_code == 302 and not is_sign_in_redirect(response):
                    continue
                if is_api(route) and response.status_code in (200, 201, 204, 400):
                    continue  # an API action: done, or refused for its data
            elif (label, route.name) in BACK_TO_THE_CYCLE and response.get(
                "Location"
            ) == f"/cycles/{target.cycle.pk}/":
                continue
            problems.append(f"coach1 {url} ({route.label}, {label}): {response.status_code}")
        page_text = "\n".join(bodies)
        problems += [
            f"{label}: {kind} never shows on coach1's pages"
            for kind, secret in target.secrets.items()
            if secret not in page_text
        ]
    assert not problems, "\n".join(problems)


def test_owner_sees_the_brief_and_its_get_stores_it(sweep):
    """The brief page shows the planted texts to coach1 (the stored brief of the closed cycle,
    the stale brief of B rebuilt, A's assembled on demand), and coach1's GET writes the brief:
    the same GET by anybody refused would be reported by the sweep's watch for writes."""
    owner = client_for(sweep.world.coach1)
    # Whether the GET stores the brief: A has none yet, B's is stale; OLD is closed, so the
    # brief stored before it closed is read as it is.
    writes = {"A": True, "B": True, "OLD": False}
    for label, stores in writes.items():
        target = sweep[label]
        for page in ("brief", "debrief"):
            if (label, page) == ("OLD", "debrief"):
                continue  # a closed cycle has no debrief page
            url = f"/cycles/{target.cycle.pk}/{page}/"
            response, changed = send(owner, "GET", url, {}, snapshot())
            assert response.status_code == 200, (url, response.status_code)
            body = response.content.decode()
            assert "Context brief" in body and "Assembled" in body, url
            for kind in BRIEF_SECRETS:
                assert target.secrets[kind] in body, (url, kind)
            assert ("rows of coaching.ContextBrief" in changed) == stores, (url, changed)
            assert all("contextbrief" in change.lower() for change in changed), (url, changed)


def test_owner_plausible_posts_change_rows(sweep):
    """For every route that takes a POST, the plausible data really saves something when the
    owner sends it, so "POST changed nothing" in the sweep means the refusal worked."""
    owner = client_for(sweep.world.coach1)
    refused = MethodRefusals(owner)
    problems = []
    for route in id_routes():
        if refused(route, "POST (form)"):
            continue  # GET-only page: the POST is refused for everybody
        outcomes = []
        for label in ("FRESH", "B", "A"):
            target = sweep[label]
            data = plausible_data(route.name, target, sweep.tz)
            client = owner_client(route, sweep, owner, target)
            if client is None:
                continue  # a teacher-only clip page of a teacher with no sign-in
            response, changed = send(client, "POST (form)", route.url_for(target), data, snapshot())
            outcomes.append(f"{label}: {response.status_code}")
            saved = (200, 201, 204, 302) if is_api(route) else (201, 302)
            if response.status_code in saved and changed:
                break
        else:
            problems.append(f"{route.label}: the owner's plausible POST saved nothing ({outcomes})")
    assert not problems, "\n".join(problems)


def test_each_swept_role_reaches_its_own_pages(sweep):
    """Each role's client is signed in as that role: it gets its own pages."""
    w = sweep.world
    a = sweep["A"]
    checks = [
        ("coach2 (same school)", f"/cycles/{w.c2a.pk}/", 200, None),
        ("coach_b (other school)", f"/cycles/{w.cb.pk}/", 200, None),
        # c1a is shared with the principal: its content shows to them, so a leak would show too
        ("principal_a (unshared cycles)", f"/cycles/{a.cycle.pk}/", 200, a.secrets["session note"]),
        ("district_leader", "/dashboard/", 200, None),
        ("administrator (district role)", "/dashboard/", 200, None),
        ("t2a.user (another teacher)", "/my-move/", 200, None),
        ("t1a.user (own cycle, coach pages)", "/my-move/", 200, a.secrets["script"]),
        ("anonymous", "/", 302, None),
    ]
    assert {role for role, *_ in checks} == set(ROLES)
    for role, url, status, text in checks:
        response = client_for(user_of(sweep, role)).get(url)
        assert response.status_code == status, (role, url, response.status_code)
        if text:
            assert text in response.content.decode(), (role, url)
    assert is_sign_in_redirect(client_for(None).get("/"))


# --- The sweep ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(ROLES))
def test_sweep_refuses_rows_outside_the_role(sweep, role):
    spec = ROLES[role]
    client = client_for(user_of(sweep, role))
    refused = MethodRefusals(client_for(sweep.world.coach1))
    tried, problems = run_sweep(role, client, sweep, spec.sweep, refused)
    report(role, len(id_routes()), len(spec.sweep), tried)
    owned = sum(1 for r in id_routes() if r.name in TEACHER_CLIP_ROUTES) * len(spec.owns_clips)
    assert tried == (len(id_routes()) * len(spec.sweep) - owned) * len(METHODS)
    assert not problems, f"{len(problems)} problems in {tried} requests:\n" + "\n".join(
        problems[:80]
    )


def test_the_sweep_catches_views_without_their_access_check(sweep, monkeypatch):
    """The sweep has teeth: with the cycle pages looking rows up without the user's scope (as a
    view calling CoachingCycle.objects.get would), it reports the leaks, the writes, the 200s
    and the difference from a missing id."""

    def unscoped(*, user, cycle_id, action=None):
        return get_object_or_404(CoachingCycle, pk=cycle_id)

    for module in (cycle_views, observation_views):
        monkeypatch.setattr(module, "cycle_get_for_user", unscoped)
    client = client_for(sweep.world.coach2)
    refused = MethodRefusals(client_for(sweep.world.coach1))
    _, problems = run_sweep("coach2 (unscoped cycle pages)", client, sweep, ["A"], refused)
    text = "\n".join(problems)
    assert "(cycle_detail, target A): response shows" in text
    assert "A/session note" in text and "A/teacher reflection" in text
    assert "(session_new, target A): changed ['INSERT coaching_coachingsession'" in text
    assert "rows of coaching.CoachingSession" in text
    assert "GET /cycles/" in text and ": 200, expected 403 or 404" in text
    assert "for an id that does not exist" in text
    # The pages that still use their own access check stay clean.
    assert "(teacher_detail," not in text and "(observation_live," not in text


def test_principal_reads_only_the_shared_cycle_page(sweep):
    """c1a is shared with principal_a: its cycle page is readable (the policy), every other
    page of its rows is refused like any other."""
    a = sweep["A"]
    client = client_for(sweep.world.principal_a)
    refused = MethodRefusals(client_for(sweep.world.coach1))
    exempt = {("cycle_detail", "GET"), ("cycle_detail", "GET (HTMX)")}
    # The API's rows of A: the principal reads the shared cycle's content there too
    # (tests/api/test_viewsets.py checks what shows).
    exempt |= {
        (route.name, method)
        for route in id_routes()
        if is_api(route) and route.name.endswith("-detail")
        for method in ("GET", "GET (HTMX)")
    }
    # The cycle page does show the shared content (checked here, not swept).
    response = client.get(f"/cycles/{a.cycle.pk}/")
    assert response.status_code == 200
    assert a.secrets["teacher reflection"] in response.content.decode()
    # Everything else: refused, and no text of A leaks.
    tried, problems = run_sweep(
        "principal_a (shared cycle A)", client, sweep, ["A"], refused, exempt
    )
    report("principal_a (shared cycle A)", len(id_routes()), 1, tried)
    assert tried == len(id_routes()) * len(METHODS) - len(exempt)
    assert not problems, "\n".join(problems[:80])


@pytest.mark.parametrize("role", list(ROLES))
def test_pages_without_ids_show_no_unreadable_text(sweep, role):
    """Home, caseload, dashboard, my move, time: none shows a text the role may not read."""
    spec = ROLES[role]
    client = client_for(user_of(sweep, role))
    unreadable = [sweep[label] for label in spec.unreadable]
    routes = plain_routes()
    assert {"home", "caseload", "dashboard", "my_move", "time_log"} <= {r.name for r in routes}
    problems = []
    for route in routes:
        for method in ("GET", "GET (HTMX)"):
            response, _ = send(client, method, "/" + route.route, {})
            assert response.status_code < 500, (role, route.route, response.status_code)
            if leaks := leaked(response, unreadable):
                problems.append(f"{role}: {method} /{route.route} shows {leaks}")
    assert not problems, "\n".join(problems)


# --- The calendar feed: a secret link, not an id ------------------------------------------------


@dataclass
class FeedLinks:
    current: str  # coach1's link: opens coach1's feed, whoever asks
    wrong: dict[str, str]  # links that must give the bare 404, whoever asks


@pytest.fixture
def feed_links(sweep) -> FeedLinks:
    w = sweep.world
    renewed = calendar_feed_renew(user=w.coach1)
    current = calendar_feed_renew(user=w.coach1)
    revoked = calendar_feed_renew(user=w.t1a.user)
    calendar_feed_revoke(user=w.t1a.user)
    return FeedLinks(
        current=current,
        wrong={
            "made up": "0",
            "renewed": renewed,
            "current, one character changed": current[:-1] + ("A" if current[-1] != "A" else "B"),
            "current, cut short": current[:-1],
            "current, upper case": current.upper(),
            "revoked": revoked,
            "deactivated account": calendar_feed_renew(user=w.inactive_principal),
        },
    )


def _feed_url(route: Route, token: str) -> str:
    return route.url(lambda kwarg: token)


@pytest.mark.parametrize("role", list(ROLES))
def test_calendar_feed_refuses_every_wrong_link(sweep, feed_links, role):
    """Every wrong link (made up, renewed, altered, revoked, of a deactivated account) gets the
    same bare 404 on GET, whoever asks, and a 405 on POST as for the owner's own link; nothing
    is written, no planted text shows."""
    client = client_for(user_of(sweep, role))
    owner = MethodRefusals(client_for(sweep.world.coach1))
    feeds_before = list(CalendarFeed.objects.order_by("pk").values())
    before = snapshot()
    problems = []
    tried = 0
    for route in token_routes():
        for label, token in feed_links.wrong.items():
            url = _feed_url(route, token)
            assert resolve(url).route == route.route, url
            for method in METHODS:
                tried += 1
                compare = before if method.startswith("POST") else None
                response, changed = send(client, method, url, {}, compare)
                where = f"{role}: {method} {route.label} ({label})"
                if changed:
                    problems.append(f"{where}: changed {changed}")
                if leaks := leaked(response, list(sweep.targets.values())):
                    problems.append(f"{where}: response shows {leaks}")
                if method.startswith("POST"):
                    if not (response.status_code == 405 and owner(route, method)):
                        problems.append(f"{where}: {response.status_code}, expected 405")
                elif response.status_code != 404 or response.content != FEED_NOT_FOUND:
                    problems.append(f"{where}: {response.status_code} {response.content[:80]!r}")
    assert list(CalendarFeed.objects.order_by("pk").values()) == feeds_before
    assert tried == len(token_routes()) * len(feed_links.wrong) * len(METHODS)
    assert not problems, "\n".join(problems)


def test_calendar_feed_link_opens_without_notes_or_evidence(sweep, feed_links):
    """Positive control: coach1's current link opens coach1's feed (for anybody holding it, as
    a calendar app does), with events of every target, and shows none of their planted
    texts: calendars end up in Google or Outlook."""
    route = next(r for r in token_routes() if r.name == "calendar_feed")
    url = _feed_url(route, feed_links.current)
    for who in (None, sweep.world.coach2, sweep.world.coach1):
        response, changed = send(client_for(who), "GET", url, {})
        assert response.status_code == 200, who
        assert not changed, changed
        body = response.content.decode()
        for target in sweep.targets.values():
            assert f"UID:revisit-{target.revisit.pk}@" in body, target.label
        assert not leaked(response, list(sweep.targets.values())), who


# --- Bad input: refused, never a 500 --------------------------------------------------------------

GARBAGE_ENTRIES = [
    {},
    {"type": "bogus", "text": "x"},
    {"type": "note"},
    {"type": "note", "text": ""},
    {"type": "note", "text": "x" * 4001},
    {"type": "note", "text": "nul\x00inside"},
    {"type": "note", "text": "x", "client_id": "not-a-uuid"},
    {"type": "note", "text": "x", "taken_at": "nul\x00"},
    {"type": "sweep"},
    {"type": "sweep", "phase": "before_move", "present_count": "25"},
    {"type": "sweep", "phase": "before_move", "engaged_count": "abc", "present_count": "25"},
    {"type": "sweep", "phase": "before_move", "engaged_count": "1e3", "present_count": "25"},
    {"type": "sweep", "phase": "before_move", "engaged_count": "12.5", "present_count": "25"},
    {"type": "sweep", "phase": "before_move", "engaged_count": "-1", "present_count": "25"},
    {"type": "sweep", "phase": "before_move", "engaged_count": "3", "present_count": "0"},
    {"type": "sweep", "phase": "before_move", "engaged_count": "30", "present_count": "25"},
    {"type": "sweep", "phase": "during", "engaged_count": "3", "present_count": "25"},
    {
        "type": "sweep",
        "phase": "after_move",
        "engaged_count": "99999999999999999999999999",
        "present_count": "99999999999999999999999999",
    },
    {"type": "sweep", "phase": "after_move", "engaged_count": "9" * 5000, "present_count": "25"},
    {"type": "evidence", "kind": "whispered", "description": "x"},
    {"type": "evidence", "kind": "said", "description": ""},
    {"type": "evidence", "kind": "said", "description": "x" * 1001},
]

# Malformed tablet times are brought within the visit, never refused (the entry would be lost).
ODD_TIMES = [
    "yesterday",
    "",
    "2024-02-30T10:00:00",
    "2024-01-01T10:00:00+99:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2999-01-01T10:00:00Z",
]


def _entry_counts() -> tuple[int, int, int]:
    return (
        ObservationNote.objects.count(),
        EngagementSample.objects.count(),
        StudentEvidence.objects.count(),
    )


def test_live_entries_refuse_garbage_without_a_500(sweep):
    """POST garbage to /observations/<id>/entries/: 400 with errors (JSON), or back to the page
    with the errors (plain form post); nothing saved."""
    observation = sweep["B"].observation  # started, on coach1's caseload
    client = client_for(sweep.world.coach1)
    url = f"/observations/{observation.pk}/entries/"
    foreign = ObservationNoteFactory(observation=sweep.world.o2a, client_id=uuid.uuid4())
    payloads = [
        *GARBAGE_ENTRIES,
        {"type": "note", "text": "x", "client_id": str(foreign.client_id)},
    ]
    before = snapshot()
    problems = []
    for data in payloads:
        for json_call in (True, False):
            headers = JSON_HEADERS if json_call else {}
            with transaction.atomic():
                response = client.post(url, data, headers=headers)
                changed = changed_models(before, snapshot())
                transaction.set_rollback(True)
            expected = (400,) if json_call else (200, 302)
            if response.status_code not in expected or changed:
                problems.append(f"{data!r} json={json_call}: {response.status_code} {changed}")
            if json_call and response.status_code == 400:
                assert "errors" in response.json()
    # A JSON body (not a form) is refused too.
    response = client.post(url, '{"type": "note"', content_type="application/json")
    assert response.status_code == 302  # no JSON headers: back to the page with the error
    assert not problems, "\n".join(problems)


def test_live_entries_keep_odd_tablet_times_within_the_visit(sweep):
    observation = sweep["B"].observation
    client = client_for(sweep.world.coach1)
    url = f"/observations/{observation.pk}/entries/"
    for taken_at in ODD_TIMES:
        before = _entry_counts()
        response = client.post(
            url, {"type": "note", "text": "Odd time", "taken_at": taken_at}, headers=JSON_HEADERS
        )
        assert response.status_code == 201, (taken_at, response.content)
        assert _entry_counts()[0] == before[0] + 1
        note = ObservationNote.objects.get(pk=response.json()["id"])
        assert observation.started_at <= note.noted_at <= timezone.now(), taken_at


def _refused_without_change(client, url, data, expected=(200,)) -> str | None:
    before = snapshot()
    with transaction.atomic():
        response = client.post(url, data)
        changed = changed_models(before, snapshot())
        transaction.set_rollback(True)
    if response.status_code not in expected or changed:
        return f"POST {url} {data!r}: {response.status_code}, changed {changed}"
    return None


def test_forms_refuse_foreign_and_malformed_ids_without_a_500(sweep):
    """Ids of other coaches' rows and non-numeric ids in POST data are form errors (200, the
    form again), never a 500 and never saved."""
    w = sweep.world
    fresh, b = sweep["FRESH"], sweep["B"]
    client = client_for(w.coach1)
    foreign_problem = PersistentProblemFactory(teacher=w.t2a)
    planning_move = MoveFactory(need_area=NeedArea.PLANNING)
    today = timezone.localdate(timezone=sweep.tz)
    time_ok = {"category": TimeCategory.ADMIN, "minutes": "30", "entry_date": today.isoformat()}
    start_ok = plausible_data("cycle_start", fresh, sweep.tz)
    session_ok = plausible_data("session_new", fresh, sweep.tz)
    agree_ok = plausible_data("move_agree", fresh, sweep.tz)
    debrief_ok = plausible_data("debrief", b, sweep.tz)
    cases = [
        ("/time/", {**time_ok, "cycle": str(w.c2a.pk)}),  # coach2's cycle
        ("/time/", {**time_ok, "cycle": str(w.cb.pk)}),  # another school's cycle
        ("/time/", {**time_ok, "cycle": "abc"}),
        ("/time/", {**time_ok, "cycle": "1.5"}),
        ("/time/", {**time_ok, "minutes": "abc"}),
        ("/time/", {**time_ok, "minutes": "99999999999999999999"}),
        ("/time/", {**time_ok, "category": "direct_coaching"}),
        ("/time/", {**time_ok, "entry_date": "yesterday"}),
        ("/time/", {}),
        (f"/time/{fresh.entry.pk}/", {**time_ok, "cycle": str(w.c2a.pk)}),
        (f"/time/{fresh.entry.pk}/", {**time_ok, "cycle": "abc"}),
        (f"/time/{fresh.entry.pk}/", {}),
        (
            f"/teachers/{fresh.teacher.pk}/cycles/new/",
            {**start_ok, "persistent_problem": str(foreign_problem.pk)},
        ),
        (f"/teachers/{fresh.teacher.pk}/cycles/new/", {**start_ok, "persistent_problem": "abc"}),
        (f"/teachers/{fresh.teacher.pk}/cycles/new/", {**start_ok, "need_area": "everything"}),
        (f"/teachers/{fresh.teacher.pk}/cycles/new/", {}),
        (f"/teachers/{fresh.teacher.pk}/profile/", {"years_experience": "1e3", "grade_band": "zz"}),
        (f"/teachers/{fresh.teacher.pk}/problems/new/", {"statement": "x", "category": "zz"}),
        (f"/cycles/{fresh.cycle.pk}/move/{planning_move.pk}/", agree_ok),  # wrong need area
        (f"/cycles/{fresh.cycle.pk}/move/{fresh.move.pk}/", {**agree_ok, "due_on": "2000-01-01"}),
        (f"/cycles/{fresh.cycle.pk}/move/{fresh.move.pk}/", {**agree_ok, "due_on": "soon"}),
        (
            f"/cycles/{fresh.cycle.pk}/plan/",
            {"observation_at": "tomorrow", "rehearsal_include": "on"},
        ),
        (f"/cycles/{fresh.cycle.pk}/sessions/new/", {**session_ok, "kind": SessionKind.DEBRIEF}),
        (f"/cycles/{fresh.cycle.pk}/sessions/new/", {**session_ok, "duration_minutes": "abc"}),
        (f"/cycles/{fresh.cycle.pk}/sessions/new/", {**session_ok, "rounds": "1e3"}),
        (f"/cycles/{fresh.cycle.pk}/sessions/new/", {**session_ok, "held_at": "2999-01-01T10:00"}),
        (f"/cycles/{fresh.cycle.pk}/observations/new/", {"scheduled_for": "tomorrow"}),
        (f"/cycles/{fresh.cycle.pk}/observations/new/", {"scheduled_for": "2000-01-01T10:00"}),
        (f"/cycles/{b.cycle.pk}/debrief/", {**debrief_ok, "decision": "bogus"}),
        (f"/cycles/{b.cycle.pk}/debrief/", {**debrief_ok, "indicator_met": "maybe"}),
        (f"/cycles/{b.cycle.pk}/debrief/", {**debrief_ok, "revisit_due_on": "2999-01-01"}),
        (
            f"/cycles/{b.cycle.pk}/debrief/",
            {**debrief_ok, "decision": "close", "outcome": "mastered"},
        ),
        (f"/cycles/{b.cycle.pk}/debrief/", {**debrief_ok, "duration_minutes": "-5"}),
        (f"/sessions/{b.session.pk}/", {"held_at": "2999-01-01T10:00", "duration_minutes": "30"}),
        (f"/sessions/{b.session.pk}/", {"held_at": "x", "duration_minutes": "x"}),
    ]
    problems = [p for url, data in cases if (p := _refused_without_change(client, url, data))]
    assert not problems, "\n".join(problems)


# --- Bugs found by reading ---------------------------------------------------------------------


def test_far_future_observation_time_is_refused(sweep):
    fresh = sweep["FRESH"]
    client = client_for(sweep.world.coach1)
    response = client.post(
        f"/cycles/{fresh.cycle.pk}/observations/new/", {"scheduled_for": "9999-12-31T23:59"}
    )
    assert response.status_code < 500
    assert client.get(f"/cycles/{fresh.cycle.pk}/").status_code == 200


def test_far_future_support_plan_is_refused(sweep):
    fresh = sweep["FRESH"]
    client = client_for(sweep.world.coach1)
    data = plausible_data("cycle_plan", fresh, sweep.tz)
    data["rehearsal_at"] = "9999-12-31T23:59"
    response = client.post(f"/cycles/{fresh.cycle.pk}/plan/", data)
    assert response.status_code < 500
    assert client.get(f"/cycles/{fresh.cycle.pk}/").status_code == 200


def test_session_held_in_year_one_is_refused(sweep):
    w = sweep.world
    w.school_a.time_zone = "Asia/Tokyo"
    w.school_a.save()
    fresh = sweep["FRESH"]
    client = client_for(w.coach1)  # a new session: the school's zone is read on the first request
    data = {**plausible_data("session_new", fresh, sweep.tz), "held_at": "0001-01-01T00:00"}
    response = client.post(f"/cycles/{fresh.cycle.pk}/sessions/new/", data)
    assert response.status_code < 500
    assert client.get(f"/cycles/{fresh.cycle.pk}/").status_code == 200


def test_move_search_with_a_nul_never_reaches_the_database(sweep):
    a = sweep["A"]
    client = client_for(sweep.world.coach1)
    nul_params = []

    def watch(execute, sql, params, many, context):
        rows = params if many else [params]
        nul_params.extend(
            p for row in rows or () for p in row or () if isinstance(p, str) and "\x00" in p
        )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        response = client.get(f"/cycles/{a.cycle.pk}/move/", {"q": "a\x00b"})
    assert response.status_code == 200
    assert not nul_params, nul_params
