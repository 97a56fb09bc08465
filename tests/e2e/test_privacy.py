"""A teacher's data in the browser, on a phone: the teacher downloads their zip from My data;
the district's administrator finds the teacher, is refused with a wrong name, types the right
one, and the teacher is erased (and can no longer sign in)."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from privacy.models import Erasure
from teachers.models import Teacher
from tests.e2e.test_navigation import open_menu_link
from tests.e2e.test_sign_in import sign_in
from tests.factories import ObservationFactory, ObservationNoteFactory

pytestmark = pytest.mark.e2e


def test_teacher_downloads_everything_from_my_data(transactional_db, school_world, page):
    w = school_world
    ObservationNoteFactory(observation=w.o1a, text="Boards up after eight seconds")
    sign_in(page, "teacher1a")
    expect(page).to_have_title("My move · Coaching cycles")
    page.get_by_role("link", name="My data").click()
    expect(page).to_have_title("My data · Coaching cycles")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (.zip)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("my-coaching-data-")
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        index = json.loads(archive.read("index.json"))
        notes = archive.read("observations.ObservationNote.json").decode()
    assert index["teacher"] == w.t1a.pk and index["files"]["coaching.CoachingCycle"] == 2
    assert "Boards up after eight seconds" in notes
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_administrator_erases_a_teacher_after_typing_the_name(transactional_db, school_world, page):
    w = school_world
    ObservationNoteFactory(observation=ObservationFactory(cycle=w.c1a), text="Hinge question two")
    name = f"{w.t1a.first_name} {w.t1a.last_name}"
    sign_in(page, "admin_d")
    open_menu_link(page, "Erase a teacher", group="Administration")
    expect(page).to_have_title("Erase a teacher's data · Coaching cycles")
    page.get_by_label("Teacher's name or email").fill(w.t1a.last_name)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=f"Erase {name}…").click()
    expect(page).to_have_title(f"Erase {name} · Coaching cycles")
    field = page.get_by_label("Type the teacher's full name to confirm")
    field.fill("Someone Else")
    page.get_by_role("button", name=f"Erase {name}").click()
    expect(page.get_by_text("This is not the teacher's name: nothing was erased.")).to_be_visible()
    assert not Erasure.objects.exists()
    page.get_by_label("Type the teacher's full name to confirm").fill(name)
    page.get_by_role("button", name=f"Erase {name}").click()
    expect(page.get_by_text(f"Teacher #{w.t1a.pk} was erased.")).to_be_visible()
    expect(page.get_by_role("cell", name=f"#{w.t1a.pk}")).to_be_visible()
    erased = Teacher.objects.get(pk=w.t1a.pk)
    assert erased.first_name == "Erased" and not erased.user.is_active
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.clear_cookies()
    sign_in(page, "teacher1a")
    expect(page).to_have_title("Sign in · Coaching cycles")  # the account signs in no more
