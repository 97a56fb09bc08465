"""The whole coaching cycle in a real browser on the demo school, as a coach on a tablet:
caseload -> teacher -> assessment -> ONE move -> concrete move -> support plan and first
observation -> live observation with sweeps before and after the move -> debrief -> revisit;
then the teacher signs in on a phone and sees the agreed move, the debrief's next step and the
revisit, and opens the cycle's own page. On the way: the move is due on a school day, the plan
puts practice before the try and the debrief within two school days after it, and the revisit
falls on a school day 10 to 20 school days after the debrief.

Each main screen is saved as a screenshot (SCREENSHOT_DIR, default var/screenshots/), and the
clicks and page loads the coach needed are written to cycle-metrics.json there.
"""

import datetime
import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import (
    OPEN_STATES,
    CoachingCycle,
    CycleState,
    NeedArea,
    RevisitStatus,
    SessionKind,
)
from coaching.selectors import DEBRIEF_WITHIN_SCHOOL_DAYS, PRACTICE_KINDS
from coaching.services import SUPPORT_PLANS
from observations.models import EngagementSample, Phase, StudentEvidence
from teachers.models import Teacher
from teachers.school_days import school_days_for

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "coach-demo-2026"
TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}


class Coach:
    """Drives the page and counts what a person does: clicks (and taps) and page loads."""

    def __init__(self, page, shots: Path) -> None:
        self.page = page
        self.shots = shots
        self.clicks = 0
        self.loads = 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)


def _sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():  # the answer has loaded before the next step
        page.get_by_role("button", name="Sign in").click()


def _input_time(page, name: str) -> datetime.datetime:
    """The naive local date and time a datetime-local input of the page holds."""
    return datetime.datetime.fromisoformat(page.locator(f"input[name='{name}']").input_value())


@pytest.fixture
def shots() -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR", settings.VAR_DIR / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_demo_coach_runs_a_whole_cycle_and_the_teacher_sees_the_move(
    transactional_db, browser, live_server, shots
):
    call_command("seed_demo", "--quiet", stdout=open(os.devnull, "w"))  # noqa: SIM115
    teacher = (
        Teacher.objects.filter(user__isnull=False, caseload_assignments__ended_on__isnull=True)
        .exclude(cycles__state__in=OPEN_STATES)
        .select_related("user")
        .order_by("last_name")
        .first()
    )
    coach = teacher.caseload_assignments.get(ended_on__isnull=True).coach
    context = browser.new_context(base_url=live_server.url, viewport=TABLET)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, coach.username)
    expect(page).to_have_title("Caseload · Coaching cycles")
    c = Coach(page, shots)  # count from the caseload on
    c.shot("01-caseload")

    # Caseload -> teacher page -> start a cycle.
    c.click(page.get_by_role("link", name=teacher.full_name))
    expect(page.get_by_role("heading", name=teacher.full_name)).to_be_visible()
    c.shot("02-teacher")
    c.click(page.get_by_role("link", name="Start a cycle"))

    # Assessment: evidence, ONE need area, why.
    page.get_by_label("Evidence seen").fill(
        "Six of 26 students answered; the rest waited for the same three hands."
    )
    c.click(page.get_by_label("Delivery"))
    page.get_by_label("Why this need area").fill(
        "The lesson plan is strong; participation is the gap during delivery."
    )
    c.shot("03-assessment")
    c.click(page.get_by_role("button", name="Save the assessment and pick the move"))

    # Pick ONE move of the need area, searching the library.
    page.get_by_label("Search the moves").fill("wait")
    move_card = page.locator("article", has=page.get_by_role("heading", name="Cold call"))
    expect(move_card.first).to_be_visible()
    c.shot("04-pick-move")
    c.click(move_card.first.get_by_role("link", name="Choose this move"))

    # Make it concrete for tomorrow.
    page.get_by_label("Tomorrow I will…").fill(
        "Ask each hinge question, wait five seconds, then cold call three students by name."
    )
    page.get_by_label("Success indicator").fill(
        "At least 20 of 26 students answer at least once during the lesson."
    )
    # The proposed due date is a school day that leaves room for practice before the try.
    school_days = school_days_for(school=teacher.school)
    due_on = datetime.date.fromisoformat(page.get_by_label("Due date").input_value())
    assert school_days.is_school_day(due_on)
    assert due_on > timezone.localdate()
    c.shot("05-concrete-move")
    c.click(page.get_by_role("button", name="Agree on this move"))

    # The support plan of a delivery cycle, and the first observation (defaults kept).
    expect(
        page.get_by_role("heading", name=f"Support plan for {teacher.full_name}")
    ).to_be_visible()
    c.shot("06-support-plan")
    # The plan's order: every practice session before the first observation (the try), the
    # debrief after it and within two school days, every time on a school day.
    observed = _input_time(page, "observation_at")
    assert observed.date() == due_on
    kinds = SUPPORT_PLANS[NeedArea.DELIVERY]
    assert any(k in PRACTICE_KINDS for k in kinds), "a delivery plan has practice"
    for kind in kinds:
        when = _input_time(page, f"{kind}_at")
        assert school_days.is_school_day(when.date()), kind
        if kind in PRACTICE_KINDS:
            assert when < observed, f"{kind} at {when} is not before the try at {observed}"
        elif kind == SessionKind.DEBRIEF:
            assert when > observed
            assert school_days.count(observed.date(), when.date()) <= DEBRIEF_WITHIN_SCHOOL_DAYS
    c.click(page.get_by_role("button", name="Save the plan"))
    expect(page.get_by_role("heading", name=f"Cycle with {teacher.full_name}")).to_be_visible()
    c.shot("07-cycle")

    # Live observation: pause, measure, try the move, measure again.
    c.click(page.get_by_role("link", name="Start live observation"))
    c.click(page.get_by_role("button", name="Start observation"))
    page.get_by_label("Students present").fill("26")
    c.click(page.locator("#sweep-form label", has_text="Before the move"))
    c.click(page.get_by_role("button", name="11 of 26 engaged"))
    page.get_by_label("Timestamped note").fill("Teacher pauses, waits 5 s, cold calls three.")
    c.click(page.get_by_role("button", name="Save note"))
    c.click(page.locator("#sweep-form label", has_text="After the move"))
    c.click(page.get_by_role("button", name="22 of 26 engaged"))
    page.get_by_label("Quote or description").fill(
        "“I think it's 3/4 because I counted the parts.”"
    )
    c.click(page.get_by_role("button", name="Said", exact=True))
    # Exactly "Saved": has_text also matches "Not saved yet", and finishing with an entry still
    # on its way asks for a confirmation, which the browser here would dismiss.
    saved = page.locator("#entry-list .entry-status", has_text=re.compile(r"^Saved$"))
    expect(saved).to_have_count(4)
    # One rounding rule: 11 of 26 is 42%, 22 of 26 is 85%, the change their difference.
    expect(page.locator("#share-change")).to_have_text("+43 pts")
    c.shot("08-live-observation")
    c.click(page.get_by_role("button", name="Finish observation"))

    # Debrief: the brief on top, before/after, then ONE next step and the revisit.
    c.click(page.get_by_role("link", name="Debrief").first)
    expect(page.get_by_text("At least 20 of 26 students answer")).to_be_visible()
    page.get_by_label("What students showed").fill("22 of 26 engaged after the move; 4 quotes.")
    c.click(page.get_by_label("Yes"))
    next_step = "Add a follow-up 'why?' to each cold call."
    page.get_by_label("The next bite-sized step").fill(next_step)
    page.get_by_label("The teacher's reflection").fill("Waiting felt long but it worked.")
    page.get_by_label("Length of the debrief (minutes)").fill("20")
    c.click(page.get_by_label("Continue: schedule the revisit"))
    proposed = datetime.date.fromisoformat(page.get_by_label("Revisit on").input_value())
    c.shot("09-debrief")
    c.click(page.get_by_role("button", name="Save the debrief"))
    expect(page.get_by_role("heading", name=f"Cycle with {teacher.full_name}")).to_be_visible()
    c.shot("10-cycle-after-debrief")

    metrics = {"clicks": c.clicks, "page_loads": c.loads}
    (shots / "cycle-metrics.json").write_text(json.dumps(metrics, indent=2))
    print(f"\nFull cycle from the caseload: {metrics}")

    # What the database holds now.
    cycle = CoachingCycle.objects.get(teacher=teacher, state__in=OPEN_STATES)
    assert cycle.state == CycleState.DEBRIEFED
    assert cycle.agreed_move.move.name.startswith("Cold call")
    sweeps = EngagementSample.objects.filter(observation__cycle=cycle).order_by("taken_at")
    assert [(s.phase, s.engaged_count) for s in sweeps] == [
        (Phase.BEFORE_MOVE, 11),
        (Phase.AFTER_MOVE, 22),
    ]
    assert StudentEvidence.objects.filter(observation__cycle=cycle).count() == 1
    revisit = cycle.revisits.get(status=RevisitStatus.SCHEDULED)
    assert revisit.due_on == proposed
    assert school_days.is_school_day(revisit.due_on)
    assert 10 <= school_days.count(timezone.localdate(), revisit.due_on) <= 20
    context.close()

    # The teacher, on a phone, sees the agreed move.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    teacher_page = phone.new_page()
    _sign_in(teacher_page, teacher.user.username)
    expect(teacher_page).to_have_title("My move · Coaching cycles")
    expect(teacher_page.get_by_role("heading", name=cycle.agreed_move.move.name)).to_be_visible()
    expect(teacher_page.get_by_text("cold call three students by name")).to_be_visible()
    # The debrief's next step is what the teacher sees next, with when the coach comes back.
    step = teacher_page.locator("#next-step")
    expect(step).to_contain_text(next_step)
    expect(step).to_contain_text("Agreed at the debrief of")
    expect(
        teacher_page.get_by_text(
            f"Revisit due {revisit.due_on:%A} {revisit.due_on.day} {revisit.due_on:%B}"
        )
    ).to_be_visible()
    teacher_page.screenshot(path=str(shots / "11-teacher-my-move.png"), full_page=True)
    # The teacher's own page of the cycle (a 404 before): the move and the next step there too.
    teacher_page.get_by_role("link", name="Everything about this cycle").click()
    expect(teacher_page.get_by_role("heading", level=1)).to_contain_text("My cycle of")
    expect(teacher_page.locator("#move-heading")).to_contain_text(cycle.agreed_move.move.name)
    expect(teacher_page.get_by_text(next_step).first).to_be_visible()
    teacher_page.screenshot(path=str(shots / "12-teacher-cycle.png"), full_page=True)
    phone.close()
