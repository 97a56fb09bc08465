"""The menu each role gets (templates/includes/navbar.html, fed by coaching.context_processors),
and the way back from the Django admin to the app."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every label the main menu knows today. A role's menu is compared on these only, so a page
# added later (e.g. a leaders' school calendar) does not break this test, but an item showing to
# the wrong role does.
KNOWN = {
    "Caseload",
    "Time",
    "Dashboard",
    "District",
    "Shared clips",
    "My move",
    "Calendar",
    "Exports",
    "API",
    "Rosters",
    "Frameworks",
    "Admin",
}
MAIN_MENU = {
    "coach1": {"Caseload", "Time", "Exports"},
    "principal_a": {"Dashboard", "Shared clips", "Exports"},
    "district_leader": {"Dashboard", "District", "Exports"},
    "administrator": {"Dashboard", "District", "Exports", "Rosters", "Frameworks", "Admin"},
    "t1a.user": {"My move", "Exports"},
    "superuser": {"Dashboard", "District", "Exports", "Rosters", "Frameworks", "Admin"},
}
LINK = re.compile(
    r'<a class="(?P<cls>(?:nav-link|dropdown-item)[^"]*)"(?P<current> aria-current="page")?'
    r' href="(?P<href>[^"]+)">(?P<label>[^<]+)</a>'
)


def _user(world, path: str):
    user = world
    for part in path.split("."):
        user = getattr(user, part)
    return user


def _navbar(client, user, url: str | None = None) -> tuple[dict[str, str], dict[str, str], str]:
    """(main menu label -> href, account menu label -> href, the navbar's HTML) on ``url``
    (default: the settings page, which every signed-in user gets)."""
    client.force_login(user)
    response = client.get(url or reverse("user_settings"))
    assert response.status_code == 200
    html = response.content.decode()
    nav = re.search(r'<nav [^>]*aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    main, account = nav.split('id="nav-account"')
    links = [(m["label"].strip(), m["href"]) for m in LINK.finditer(main)]
    account_links = [(m["label"].strip(), m["href"]) for m in LINK.finditer(account)]
    return dict(links), dict(account_links), nav


@pytest.fixture
def world(school_world):
    # An administrator manages schools and people in the Django admin: staff, as in the demo.
    school_world.administrator.is_staff = True
    school_world.administrator.save(update_fields=["is_staff"])
    return school_world


@pytest.mark.parametrize("who", list(MAIN_MENU))
def test_each_role_gets_its_own_pages_in_the_main_menu_and_no_api_item(client, world, who):
    main, account, nav = _navbar(client, _user(world, who))

    assert set(main) & KNOWN == MAIN_MENU[who]
    # API tokens live on the settings page, in no menu.
    assert "API" not in main and "API" not in account
    assert reverse("api_tokens") not in nav
    assert account["Settings"] == reverse("user_settings")
    assert 'type="submit" class="dropdown-item">Sign out</button>' in nav


def test_teacher_menu_has_no_api_nor_any_leader_or_admin_page(client, world):
    main, _account, _nav = _navbar(client, world.t1a.user)

    assert set(main) == {"My move", "Exports"}


def test_administrator_reaches_rosters_frameworks_and_the_admin_from_the_menu(client, world):
    main, _account, _nav = _navbar(client, world.administrator)

    assert main["Rosters"] == reverse("roster_index")
    assert main["Frameworks"] == reverse("framework_index")
    assert main["Admin"] == reverse("admin:index")
    assert main["Dashboard"] == reverse("dashboard")
    assert main["District"] == reverse("district_dashboard")


@pytest.mark.parametrize(
    ("who", "shown"), [("t1a.user", True), ("coach1", True), ("principal_a", False)]
)
def test_calendar_feed_is_in_the_account_menu_of_teachers_and_coaches_only(
    client, world, who, shown
):
    main, account, _nav = _navbar(client, _user(world, who))

    assert ("Calendar feed" in account) == shown
    assert "Calendar" not in main


def test_the_current_page_is_marked_in_the_menu(client, world):
    _main, _account, nav = _navbar(client, world.administrator, reverse("roster_index"))
    current = [m["label"] for m in LINK.finditer(nav) if m["current"]]
    assert current == ["Rosters"]

    _main, _account, nav = _navbar(client, world.coach1)
    current = [m["label"] for m in LINK.finditer(nav) if m["current"]]
    assert current == ["Settings"]


def test_the_toggler_and_the_account_menu_are_labelled(client, world):
    _main, _account, nav = _navbar(client, world.coach1)

    assert 'aria-label="Toggle navigation"' in nav
    assert 'aria-controls="nav-main"' in nav
    name = world.coach1.display_name
    label = rf'<span class="visually-hidden">Account menu of </span><span[^>]*>{re.escape(name)}<'
    assert re.search(label, nav)


# --- The way back from the admin ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "administrator"])
def test_the_admins_view_site_leads_to_the_apps_home_not_back_to_the_admin(client, world, who):
    client.force_login(_user(world, who))
    html = client.get(reverse("admin:index")).content.decode()

    view_site = re.search(r'<a href="([^"]+)">View site</a>', html).group(1)
    assert view_site == reverse("home")
    landing = client.get(view_site)
    assert landing.status_code == 302
    assert landing.url == reverse("dashboard")


def test_staff_without_a_role_get_the_no_role_page_with_a_link_to_the_admin(client, world):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "no role at a school yet" in html
    assert f'href="{reverse("admin:index")}"' in html
