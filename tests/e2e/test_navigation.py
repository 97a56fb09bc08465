"""The menu in a real browser: one line on a tablet (768 px, where the live observation page is
used) and on the narrowest desktop that shows it unfolded, and on a phone the toggler opens it
and the account menu leads to the settings page."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TABLET = {"width": 768, "height": 1024}
NARROW_DESKTOP = {"width": 992, "height": 800}  # Bootstrap's lg: the menu unfolds from here
PHONE = {"width": 390, "height": 844}


def sign_in_as(page, live_server, user) -> None:
    """The browser carries ``user``'s session (signing in through the form is covered by
    tests/e2e/test_sign_in.py)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def unfold_menu(page) -> None:
    """On a narrow screen, unfold the menu behind the toggler and wait until it has finished
    sliding open (a click that lands mid-slide can toggle a dropdown twice)."""
    toggler = page.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator(".navbar-collapse.show:not(.collapsing)").wait_for()


def open_menu_link(page, link: str, group: str | None = None) -> None:
    """Follow a link of the menu (of its ``group`` dropdown, such as "Administration"),
    unfolding the menu first on a narrow screen and waiting for each part to finish opening."""
    unfold_menu(page)
    if group is not None:
        button = page.get_by_role("button", name=group)
        button.click()
        page.locator(f"#{button.get_attribute('id')} + .dropdown-menu.show").wait_for()
    page.get_by_role("link", name=link).click()


def open_account_menu(page) -> None:
    """Open the account menu (settings, calendar feed, sign out), unfolding the menu first on a
    narrow screen. Each step waits for Bootstrap to finish showing, so the next click does not
    land while the menu is still sliding open."""
    unfold_menu(page)
    page.get_by_role("button", name="Account menu").click()
    page.locator("#nav-account + .dropdown-menu.show").wait_for()


def visible_items(page) -> list[tuple[str, float, float]]:
    """(text, top, height) of every visible item of the navbar: the brand, the toggler, links,
    buttons and text (a dropdown's items only while it is open)."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
              'nav.navbar a, nav.navbar button, nav.navbar .navbar-text')]
            .filter((el) => el.getClientRects().length && !el.closest('.dropdown-menu'))
            .map((el) => {
              const box = el.getBoundingClientRect();
              return [el.textContent.trim(), box.top, box.height];
            })"""
    )


def assert_one_line(page) -> None:
    """The navbar is one row: its items share their top, none is taller than the brand (a
    label or name broken over two lines is), and the bar is as high as the brand plus its
    padding. (The menu this replaced, at 768 px: 75 px high, the name and "Sign out" on two
    lines each; one row is 57 px.)"""
    items = visible_items(page)
    assert len(items) >= 2, items
    brand = page.locator("nav.navbar .navbar-brand").bounding_box()
    tops = [top for _text, top, _height in items]
    assert max(tops) - min(tops) <= 2, items
    assert max(height for _text, _top, height in items) <= brand["height"] + 1, items
    nav = page.locator("nav.navbar").bounding_box()
    assert nav["height"] <= brand["height"] + 20, (nav, brand)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("who", ["coach1", "principal_a"])
def test_the_menu_is_one_line_on_a_tablet(transactional_db, school_world, page, live_server, who):
    sign_in_as(page, live_server, getattr(school_world, who))
    page.set_viewport_size(TABLET)

    page.goto("/accounts/settings/")

    expect(page).to_have_title("Settings · Coaching cycles")
    assert_one_line(page)
    # Folded, not lost: the toggler opens every page of the role.
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.get_by_role("link", name="Exports")).to_be_visible()


def test_the_longest_menu_is_one_line_where_it_unfolds(
    transactional_db, school_world, page, live_server
):
    # A superuser who is also a district's administrator (as the demo's "admin"): every item.
    admin = school_world.administrator
    admin.is_staff = admin.is_superuser = True
    admin.first_name, admin.last_name = "Alexandra", "Administrator-Longname"
    admin.save()
    sign_in_as(page, live_server, admin)
    page.set_viewport_size(NARROW_DESKTOP)

    page.goto("/accounts/settings/")

    expect(page.get_by_role("button", name="Toggle navigation")).to_be_hidden()
    for name in ("Dashboard", "District", "Exports"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert_one_line(page)
    page.get_by_role("button", name="Administration").click()
    for name in ("Rosters", "Frameworks", "Admin"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()


def test_on_a_phone_the_toggler_opens_the_menu_and_the_account_menu_leads_to_settings(
    transactional_db, school_world, page, live_server
):
    sign_in_as(page, live_server, school_world.coach1)
    page.set_viewport_size(PHONE)
    page.goto("/accounts/settings/")
    toggler = page.get_by_role("button", name="Toggle navigation")
    expect(page.get_by_role("link", name="Caseload")).to_be_hidden()
    expect(toggler).to_have_attribute("aria-expanded", "false")

    toggler.click()

    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Caseload")).to_be_visible()
    expect(page.get_by_role("link", name="Time")).to_be_visible()
    expect(page.locator("nav.navbar").get_by_role("link", name="API")).to_have_count(0)
    open_account_menu(page)
    page.get_by_role("link", name="Calendar feed", exact=True).click()
    expect(page).to_have_title("Calendar · Coaching cycles")

    open_account_menu(page)
    page.get_by_role("link", name="Settings", exact=True).click()
    expect(page).to_have_title("Settings · Coaching cycles")
    current = page.locator("nav.navbar [aria-current='page']")
    expect(current).to_have_text("Settings")
    page.get_by_role("link", name="My API tokens").click()
    expect(page).to_have_title("API tokens · Coaching cycles")
