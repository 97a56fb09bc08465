"""Sign in through a real browser at phone width and land on each role's home page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_navigation import open_account_menu
from tests.factories import AgreedMoveFactory

pytestmark = pytest.mark.e2e


def sign_in(page, username: str, password: str = "pw") -> None:
    page.goto("/")
    expect(page).to_have_title("Sign in · Coaching cycles")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    # Until the answer to the form has loaded (the landing page, or the sign-in page again with
    # its message): a click on the next page must not land on this one.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_coach_signs_in_on_a_phone_and_sees_the_caseload(transactional_db, school_world, page):
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, move__name="Cold call after wait time")

    sign_in(page, "coach1")

    expect(page).to_have_title("Caseload · Coaching cycles")
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.get_by_text(w.t1a.full_name)).to_be_visible()
    expect(page.get_by_text("Cold call after wait time")).to_be_visible()
    expect(page.get_by_text(w.t2a.full_name)).to_have_count(0)
    # The page fits a phone: nothing wider than the viewport but the scrollable table.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_principal_lands_on_dashboard_and_teacher_on_my_move(transactional_db, school_world, page):
    w = school_world
    AgreedMoveFactory(cycle=w.c1a, script="Boards up in 3, 2, 1.")

    sign_in(page, "principal_a")
    expect(page).to_have_title("Dashboard · Coaching cycles")
    expect(page.get_by_role("heading", name=w.school_a.name)).to_be_visible()

    open_account_menu(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "teacher1a")

    expect(page).to_have_title("My move · Coaching cycles")
    expect(page.get_by_text("Boards up in 3, 2, 1.")).to_be_visible()


def test_wrong_password_keeps_the_visitor_on_the_sign_in_page(transactional_db, school_world, page):
    sign_in(page, "coach1", password="wrong")

    expect(page).to_have_title("Sign in · Coaching cycles")
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
