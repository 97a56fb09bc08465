"""The live observation page while the database is down: the server answers 503 (core
middleware), the page keeps the entry on the device, says why, and saves it exactly once when
the database is back. The outage of a real PostgreSQL is in tests/test_faults.py."""

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from live_observation import views as observation_views
from observations.models import ObservationNote
from tests.e2e.test_live_observation import sign_in

pytestmark = pytest.mark.e2e

TEXT = "Noted while the database was down."


def test_an_entry_refused_with_503_waits_on_the_device_and_is_saved_once_after(
    transactional_db, school_world, page, monkeypatch
):
    visit = school_world.o1a
    sign_in(page, "coach1")
    page.goto(f"/observations/{visit.pk}/")
    expect(page.get_by_role("heading", name="Engagement sweep")).to_be_visible()

    def database_down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as down:
        down.setitem(observation_views._ADD, "note", (database_down, "noted_at"))
        with page.expect_response(lambda r: r.url.endswith("/entries/")) as answer:
            page.get_by_label("Timestamped note").fill(TEXT)
            page.get_by_role("button", name="Save note").click()
        assert answer.value.status == 503

        item = page.locator("#entry-list li", has_text=TEXT)
        expect(item.locator(".entry-status")).to_have_text("Not saved yet")
        expect(page.locator("#unsaved-banner")).to_contain_text("1 entry is not saved yet")
        expect(page.locator("#unsaved-banner")).to_contain_text("The database is unavailable")
        assert not ObservationNote.objects.filter(text=TEXT).exists()

    # The database is back: the next retry (every 4 seconds) saves it, once.
    expect(item.locator(".entry-status")).to_have_text("Saved", timeout=15_000)
    expect(page.locator("#unsaved-banner")).to_be_hidden()
    page.wait_for_timeout(4500)  # another retry round: nothing is sent twice
    page.reload()
    expect(page.locator("#entry-list li", has_text=TEXT)).to_have_count(1)
    assert ObservationNote.objects.filter(text=TEXT).count() == 1
