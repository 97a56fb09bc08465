"""The teacher's side in a real browser at phone width (390 px), on the demo school: a demo
teacher signs in, reads the agreed move (what to do, the script, what success looks like,
when the coach comes next), answers the reflection prompts before the debrief, and shares the
cycle with the principal; then the coach signs in and reads the answers in the context brief
and on the debrief page."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coaching.models import OPEN_STATES, CoachingCycle, IndicatorSeen, Reflection
from demo.data import DEMO_PASSWORD
from tests.e2e.test_sign_in import sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SAID = "Nineteen tickets had the unit rate with its units; six stopped after the first step."
CHANGE = "Model one two-step problem aloud before the ticket, then take it away."


def _fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_demo_teacher_reflects_on_a_phone_and_the_coach_reads_it(
    transactional_db, browser, live_server, page
):
    call_command("seed_demo", "--quiet", stdout=StringIO())
    cycle = CoachingCycle.objects.select_related("agreed_move__move").get(
        teacher__user__username="teacher.lee", state__in=OPEN_STATES
    )
    move = cycle.agreed_move
    assert not Reflection.objects.filter(cycle=cycle).exists()

    # The teacher reads the move on a phone.
    sign_in(page, "teacher.lee", DEMO_PASSWORD)
    expect(page).to_have_title("My move · Coaching cycles")
    expect(page.get_by_role("heading", name=move.move.name)).to_be_visible()
    expect(page.get_by_text(move.script.splitlines()[0])).to_be_visible()
    expect(page.get_by_text(move.success_indicator)).to_be_visible()
    expect(page.get_by_role("heading", name="When my coach comes next")).to_be_visible()
    expect(page.get_by_text("Debrief:")).to_be_visible()
    _fits_a_phone(page)

    # ... answers the reflection prompts ...
    page.get_by_role("link", name="Reflect on the move").click()
    expect(page).to_have_title("My reflection · Coaching cycles")
    _fits_a_phone(page)
    page.get_by_label("What did students say or produce when you tried the move?").fill(SAID)
    page.get_by_label("Partly").check()
    page.get_by_label("What would you change next time?").fill(CHANGE)
    page.get_by_label("Students engaged (optional)").fill("19")
    page.get_by_label("Students present (optional)").fill("25")
    page.get_by_role("button", name="Send to my coach").click()

    expect(page).to_have_title("My move · Coaching cycles")
    expect(page.get_by_text("Reflection saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Change my reflection")).to_be_visible()
    reflection = Reflection.objects.get(cycle=cycle)
    assert (reflection.students_did, reflection.indicator_seen) == (SAID, IndicatorSeen.PARTLY)
    assert reflection.session is not None and reflection.session.held_at is None

    # ... and shares the cycle with the principal.
    page.get_by_role("button", name="Share with my principal").first.click()
    expect(page.get_by_text("Shared: your principal can now read")).to_be_visible()
    assert CoachingCycle.objects.get(pk=cycle.pk).shared_with_principal is True
    _fits_a_phone(page)

    # The coach reads the answers before the debrief, in the brief and on the debrief page.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    coach = context.new_page()
    coach.set_default_timeout(10_000)
    sign_in(coach, "coach.rivera", DEMO_PASSWORD)
    expect(coach).to_have_title("Caseload · Coaching cycles")
    for url in (f"/cycles/{cycle.pk}/brief/", f"/cycles/{cycle.pk}/debrief/"):
        coach.goto(url)
        expect(coach.get_by_text(SAID)).to_be_visible()
        expect(coach.get_by_text(CHANGE)).to_be_visible()
        expect(coach.get_by_text("19 of 25 engaged (76%)")).to_be_visible()
    context.close()
