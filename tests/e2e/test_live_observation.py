"""The live observation page in a real browser at phone width: taps save entries at once, and a
dropped connection loses nothing (the entry waits on the device and is saved exactly once)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import CycleState
from observations.models import EngagementSample, ObservationNote, Phase, StudentEvidence
from tests.factories import AgreedMoveFactory, ObservationFactory

pytestmark = pytest.mark.e2e

SAVED = re.compile(r"^Saved$")


def sign_in(page, username: str, password: str = "pw") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():  # the answer has loaded before the next step
        page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_title("Sign in · Coaching cycles")


def saved_badges(page):
    return page.locator("#entry-list .entry-status").filter(has_text=SAVED)


def tap_phase(page, label: str) -> None:
    page.locator("#sweep-form label", has_text=label).click()


def test_coach_runs_a_visit_with_sweeps_before_and_after_the_move(
    transactional_db, school_world, page
):
    w = school_world
    AgreedMoveFactory(
        cycle=w.c1a,
        move__name="Mini whiteboards on hinge questions",
        success_indicator="At least 20 of 25 boards up within 10 seconds.",
    )
    visit = ObservationFactory(
        cycle=w.c1a, started_at=None, scheduled_for=timezone.now() + datetime.timedelta(hours=1)
    )
    sign_in(page, "coach1")

    page.goto(f"/observations/{visit.pk}/")
    expect(page.get_by_text("At least 20 of 25 boards up within 10 seconds.")).to_be_visible()
    page.get_by_role("button", name="Start observation").click()
    expect(page.get_by_role("heading", name="Engagement sweep")).to_be_visible()

    page.get_by_label("Students present").fill("25")
    tap_phase(page, "Before the move")
    page.get_by_role("button", name="12 of 25 engaged").click()
    expect(saved_badges(page)).to_have_count(1)
    tap_phase(page, "After the move")
    page.get_by_role("button", name="21 of 25 engaged").click()
    expect(saved_badges(page)).to_have_count(2)
    expect(page.locator("#share-before")).to_have_text("48%")
    expect(page.locator("#share-after")).to_have_text("84%")
    expect(page.locator("#share-change")).to_have_text("+36 pts")

    page.get_by_label("Timestamped note").fill("Boards up after 8 seconds on question 2.")
    page.get_by_role("button", name="Save note").click()
    page.get_by_label("Quote or description").fill("“It's a quarter because the parts are equal.”")
    page.get_by_role("button", name="Said", exact=True).click()
    expect(saved_badges(page)).to_have_count(4)
    expect(page.locator("#unsaved-banner")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone

    visit.refresh_from_db()
    assert visit.started_at is not None
    assert visit.cycle.state == CycleState.ACTIVE
    sweeps = list(visit.engagement_samples.order_by("taken_at"))
    assert [(s.phase, s.engaged_count, s.present_count) for s in sweeps] == [
        (Phase.BEFORE_MOVE, 12, 25),
        (Phase.AFTER_MOVE, 21, 25),
    ]
    assert all(s.client_id for s in sweeps)
    assert visit.notes.get().text == "Boards up after 8 seconds on question 2."
    evidence = visit.student_evidence.get()
    assert (evidence.kind, evidence.description) == (
        "said",
        "“It's a quarter because the parts are equal.”",
    )

    # The page remembers the students present and the phase for the next sweep.
    page.reload()
    expect(page.get_by_label("Students present")).to_have_value("25")
    expect(page.locator("#phase-after_move")).to_be_checked()


def test_an_entry_made_offline_waits_on_the_device_and_is_saved_exactly_once(
    transactional_db, school_world, page
):
    w = school_world
    visit = w.o1a  # started, with a note, two sweeps and evidence
    sign_in(page, "coach1")
    page.goto(f"/observations/{visit.pk}/")
    expect(page.get_by_role("heading", name="Engagement sweep")).to_be_visible()

    page.context.set_offline(True)
    page.get_by_label("Timestamped note").fill("Noted while the wifi was down.")
    page.get_by_role("button", name="Save note").click()
    tap_phase(page, "After the move")
    page.get_by_role("button", name="24 of 25 engaged").click()

    offline_item = page.locator("#entry-list li", has_text="Noted while the wifi was down.")
    expect(offline_item.locator(".entry-status")).to_have_text("Not saved yet")
    expect(page.locator("#unsaved-banner")).to_be_visible()
    expect(page.locator("#unsaved-banner")).to_contain_text("2 entries are not saved yet")
    expect(page.locator("#share-pending")).to_have_text("incl. 1 unsaved")
    assert not ObservationNote.objects.filter(text="Noted while the wifi was down.").exists()

    page.context.set_offline(False)

    expect(offline_item.locator(".entry-status")).to_have_text("Saved")
    expect(page.locator("#unsaved-banner")).to_be_hidden()
    expect(page.locator("#share-pending")).to_have_text("")
    # Let a few retry rounds pass, then reload: nothing is sent twice.
    page.wait_for_timeout(5000)
    page.reload()
    expect(page.locator("#entry-list li", has_text="Noted while the wifi was down.")).to_have_count(
        1
    )
    assert ObservationNote.objects.filter(text="Noted while the wifi was down.").count() == 1
    assert EngagementSample.objects.filter(observation=visit, engaged_count=24).count() == 1
    assert StudentEvidence.objects.filter(observation=visit).count() == 1


PRESENT_COUNT_MESSAGE = "Students present must be a whole number from 1 to 500."


def test_an_impossible_count_of_students_present_says_why_and_keeps_the_grid(
    transactional_db, school_world, page
):
    w = school_world
    visit = ObservationFactory(cycle=w.c1a, started_at=timezone.now())
    sign_in(page, "coach1")
    page.goto(f"/observations/{visit.pk}/")
    present = page.get_by_label("Students present")
    grid = page.locator("#count-grid button")
    error = page.locator("#present-count-error")

    present.fill("25")
    expect(grid).to_have_count(26)
    expect(error).to_be_hidden()

    for typed in ("999", "0", "-3", "2.5"):
        present.fill(typed)
        expect(error).to_be_visible()
        expect(error).to_have_text(PRESENT_COUNT_MESSAGE)
        expect(present).to_have_attribute("aria-invalid", "true")
        expect(grid).to_have_count(26)  # the grid of the last good count stays
        expect(page.get_by_role("button", name="12 of 25 engaged")).to_be_disabled()

    present.fill("25")
    expect(error).to_be_hidden()
    page.get_by_role("button", name="12 of 25 engaged").click()
    expect(saved_badges(page)).to_have_count(1)
    assert list(visit.engagement_samples.values_list("engaged_count", "present_count")) == [
        (12, 25)
    ]


def test_the_shown_change_is_the_difference_of_the_shown_percentages(
    transactional_db, school_world, page
):
    w = school_world
    visit = ObservationFactory(cycle=w.c1a, started_at=timezone.now())
    sign_in(page, "coach1")
    page.goto(f"/observations/{visit.pk}/")

    page.get_by_label("Students present").fill("500")
    tap_phase(page, "Before the move")
    page.get_by_role("button", name="197 of 500 engaged").click()  # 39.4%
    tap_phase(page, "After the move")
    page.get_by_role("button", name="393 of 500 engaged").click()  # 78.6%
    expect(saved_badges(page)).to_have_count(2)

    expect(page.locator("#share-before")).to_have_text("39%")
    expect(page.locator("#share-after")).to_have_text("79%")
    expect(page.locator("#share-change")).to_have_text("+40 pts")
    page.reload()  # the server's figures say the same
    expect(page.locator("#share-change")).to_have_text("+40 pts")
