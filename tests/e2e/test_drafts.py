"""Autosaved drafts (static/js/drafts.js) in a real browser at phone width: what a coach types
in a long form survives navigating away and back, and is forgotten once the form is sent."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coaching.models import PersistentProblem

pytestmark = pytest.mark.e2e

STATEMENT = "Pupils give up quickly on tricky tasks and wait for the answer."


def sign_in(page, username: str, password: str = "pw") -> None:
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():  # the answer has loaded before the next step
        page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Caseload · Coaching cycles")


def _type_a_draft_and_come_back(page, teacher) -> str:
    """Type into the problem form, leave for the caseload, come back through the teacher's
    link. Returns the draft's localStorage key."""
    key = f"problem-open-{teacher.pk}"
    page.get_by_role("link", name=teacher.full_name).click()
    expect(page).to_have_title(f"{teacher.full_name} · Coaching cycles")
    page.get_by_label("The problem, in the teacher's words").fill(STATEMENT)
    page.get_by_label("Persistent problem of teaching").select_option("enlisting_participation")
    # A function, not an expression string: Playwright evals those, which the CSP forbids.
    page.wait_for_function(f"() => localStorage.getItem('{key}') !== null")

    page.get_by_label("breadcrumb").get_by_role("link", name="Caseload").click()
    expect(page).to_have_title("Caseload · Coaching cycles")
    page.get_by_role("link", name=teacher.full_name).click()
    expect(page).to_have_title(f"{teacher.full_name} · Coaching cycles")
    return key


def test_a_typed_draft_survives_leaving_the_page_and_is_gone_after_submitting(
    transactional_db, school_world, page
):
    w = school_world
    sign_in(page, "coach1")

    key = _type_a_draft_and_come_back(page, w.t1a)

    statement = page.get_by_label("The problem, in the teacher's words")
    expect(statement).to_have_value(STATEMENT)
    expect(page.get_by_label("Persistent problem of teaching")).to_have_value(
        "enlisting_participation"
    )
    expect(page.get_by_role("status").filter(has_text="Draft restored from")).to_be_visible()
    expect(page.get_by_role("button", name="Discard draft")).to_be_visible()

    page.get_by_role("button", name="Open problem").click()

    expect(page.locator("#problems").get_by_text(f"Opened: “{STATEMENT}”.")).to_be_visible()
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    assert PersistentProblem.objects.filter(teacher=w.t1a, statement=STATEMENT).count() == 1
    page.reload()
    expect(page.get_by_label("The problem, in the teacher's words")).to_have_value("")
    expect(page.get_by_text("Draft restored from")).to_have_count(0)


def test_discarding_a_restored_draft_empties_the_form_and_forgets_it(
    transactional_db, school_world, page
):
    w = school_world
    sign_in(page, "coach1")
    key = _type_a_draft_and_come_back(page, w.t1b)
    expect(page.get_by_label("The problem, in the teacher's words")).to_have_value(STATEMENT)

    page.get_by_role("button", name="Discard draft").click()

    expect(page.get_by_label("The problem, in the teacher's words")).to_have_value("")
    expect(page.get_by_text("Draft restored from")).to_have_count(0)
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    page.reload()
    expect(page.get_by_label("The problem, in the teacher's words")).to_have_value("")
    assert not PersistentProblem.objects.filter(teacher=w.t1b).exists()
