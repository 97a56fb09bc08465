"""Roster pages: who may use them, the upload form's errors, progress and results."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from rosters.models import ImportStatus, RosterImport
from rosters.services import roster_import_create, roster_import_run
from teachers.models import Role, School
from tests.factories import DistrictFactory, MembershipFactory, UserFactory
from tests.rosters.bundles import bundle_files, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins():
    """An administrator of district N, one of district S, a coach of N, a superuser."""
    north, south = DistrictFactory(name="North"), DistrictFactory(name="South")
    admin_n, admin_s = UserFactory(), UserFactory()
    MembershipFactory(user=admin_n, district=north, school=None, role=Role.ADMINISTRATOR)
    MembershipFactory(user=admin_s, district=south, school=None, role=Role.ADMINISTRATOR)
    coach = MembershipFactory(school__district=north).user
    root = UserFactory(is_superuser=True, is_staff=True)
    return {"north": north, "south": south, "admin_n": admin_n, "admin_s": admin_s}, {
        "coach": coach,
        "root": root,
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(data: bytes, name="riverside.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def north_import(admins, django_capture_on_commit_callbacks, files=None, dry_run=True):
    world, _ = admins
    with django_capture_on_commit_callbacks():
        imp = roster_import_create(
            user=world["admin_n"],
            file_name="north.zip",
            data=zip_bytes(files or bundle_files()),
            district=world["north"],
            dry_run=dry_run,
        )
    return imp


def test_administrator_uploads_a_dry_run_and_is_sent_to_its_page(
    admins, django_capture_on_commit_callbacks
):
    world, _ = admins
    client = client_for(world["admin_n"])
    assert client.get("/roster/").status_code == 200
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            "/roster/",
            {
                "bundle": upload(zip_bytes(bundle_files())),
                "district": world["north"].pk,
                "dry_run": "on",
            },
        )
    imp = RosterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/roster/{imp.pk}/"
    assert imp.dry_run and imp.district == world["north"] and imp.created_by == world["admin_n"]
    assert len(queued) == 1  # the job is queued once the upload is committed
    page = client.get(f"/roster/{imp.pk}/")
    assert b'hx-trigger="every 1s"' in page.content and b'role="progressbar"' in page.content
    roster_import_run(import_id=imp.pk)
    done = client.get(f"/roster/{imp.pk}/", headers={"HX-Request": "true"})
    body = done.content.decode()
    assert "every 1s" not in body  # the polling stops
    assert "Apply this import" in body and "Riverside Elementary" in body
    assert 'data-count="create">10<' in body and 'data-count="update">1<' in body
    assert client.get("/roster/").content.decode().count("north.zip") == 0  # named by upload
    assert "riverside.zip" in client.get("/roster/").content.decode()


def test_apply_queues_the_same_bundle_and_imports_it(admins, django_capture_on_commit_callbacks):
    world, _ = admins
    dry = north_import(admins, django_capture_on_commit_callbacks)
    roster_import_run(import_id=dry.pk)
    client = client_for(world["admin_n"])
    with django_capture_on_commit_callbacks():
        response = client.post(f"/roster/{dry.pk}/apply/")
    applied = RosterImport.objects.exclude(pk=dry.pk).get()
    assert response["Location"] == f"/roster/{applied.pk}/"
    roster_import_run(import_id=applied.pk)
    assert School.objects.filter(district=world["north"], sourced_id__isnull=False).count() == 3
    body = client.get(f"/roster/{applied.pk}/").content.decode()
    assert "Import done." in body and "Apply this import" not in body


def test_a_dry_run_whose_bundle_was_removed_says_upload_again_and_offers_no_apply(
    admins, django_capture_on_commit_callbacks
):
    world, _ = admins
    dry = north_import(admins, django_capture_on_commit_callbacks)
    roster_import_run(import_id=dry.pk)
    client = client_for(world["admin_n"])
    assert "Apply this import" in client.get(f"/roster/{dry.pk}/").content.decode()
    RosterImport.objects.filter(pk=dry.pk).update(file_data=b"", bundle_removed_at=timezone.now())
    body = client.get(f"/roster/{dry.pk}/").content.decode()
    assert "Apply this import" not in body and "upload the bundle again" in body
    response = client.post(f"/roster/{dry.pk}/apply/", follow=True)
    assert "upload the bundle again" in response.content.decode()
    assert RosterImport.objects.count() == 1


def test_a_refused_bundle_shows_its_errors_by_file_and_line(
    admins, django_capture_on_commit_callbacks
):
    world, _ = admins
    files = bundle_files()
    files["orgs.csv"] = files["orgs.csv"].replace(b"sch-2,active", b"sch-1,active")
    imp = north_import(admins, django_capture_on_commit_callbacks, files=files)
    roster_import_run(import_id=imp.pk)
    body = client_for(world["admin_n"]).get(f"/roster/{imp.pk}/").content.decode()
    assert "The bundle was refused" in body
    assert "<td>orgs.csv</td><td>4</td><td>sourcedId</td>" in body
    assert "Apply this import" not in body
    # Applying a refused dry run is refused too.
    response = client_for(world["admin_n"]).post(f"/roster/{imp.pk}/apply/", follow=True)
    assert "Only a finished dry run can be applied." in response.content.decode()
    assert RosterImport.objects.count() == 1


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, "bundle", "This field is required."),
        ({"bundle": b"not a zip"}, "bundle", "not a zip archive"),
        ({"bundle": b"PK...", "name": "roster.csv"}, "bundle", "as a .zip file"),
        ({"district": "south"}, "district", "Select a valid choice"),
    ],
)
def test_upload_form_errors_show_next_to_the_field(admins, data, field, message):
    world, _ = admins
    post = {"district": world["north"].pk}
    if "bundle" in data:
        post["bundle"] = upload(data["bundle"], data.get("name", "roster.zip"))
    elif field != "bundle":
        post["bundle"] = upload(zip_bytes(bundle_files()))
    if data.get("district") == "south":
        post["district"] = world["south"].pk  # another district's
    response = client_for(world["admin_n"]).post("/roster/", post)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_{field}"' in body and "is-invalid" in body
    error_at = body.index(message)
    assert body.rindex(f'id="id_{field}"', 0, error_at) > body.rfind("<form", 0, error_at)
    assert not RosterImport.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(admins, settings):
    world, _ = admins
    settings.ROSTER_MAX_UPLOAD_BYTES = 100
    response = client_for(world["admin_n"]).post(
        "/roster/", {"bundle": upload(zip_bytes(bundle_files())), "district": world["north"].pk}
    )
    assert "larger than" in response.content.decode()
    assert not RosterImport.objects.exists()


def test_non_administrators_are_refused(admins, django_capture_on_commit_callbacks):
    world, others = admins
    imp = north_import(admins, django_capture_on_commit_callbacks)
    for user in (others["coach"],):
        client = client_for(user)
        assert client.get("/roster/").status_code == 403
        assert client.get(f"/roster/{imp.pk}/").status_code == 403
        assert client.post(f"/roster/{imp.pk}/apply/").status_code == 403
        assert client.post("/roster/", {}).status_code == 403
    inactive = UserFactory(is_active=False)
    MembershipFactory(user=inactive, district=world["north"], school=None, role=Role.ADMINISTRATOR)
    assert Client().get("/roster/").status_code == 302  # anonymous: sign in first
    assert b"Rosters" not in client_for(others["coach"]).get("/caseload/").content


def test_an_administrator_of_another_district_cannot_open_an_import(
    admins, django_capture_on_commit_callbacks
):
    world, others = admins
    imp = north_import(admins, django_capture_on_commit_callbacks)
    roster_import_run(import_id=imp.pk)
    south = client_for(world["admin_s"])
    assert south.get(f"/roster/{imp.pk}/").status_code == 404
    assert south.get(f"/roster/{imp.pk}/", headers={"HX-Request": "true"}).status_code == 404
    assert south.post(f"/roster/{imp.pk}/apply/").status_code == 404
    assert "north.zip" not in south.get("/roster/").content.decode()
    assert RosterImport.objects.count() == 1
    # The owner and a superuser do see it.
    assert client_for(world["admin_n"]).get(f"/roster/{imp.pk}/").status_code == 200
    assert client_for(others["root"]).get(f"/roster/{imp.pk}/").status_code == 200
    assert b'href="/roster/"' in client_for(world["admin_n"]).get("/roster/").content


def test_an_administrator_cannot_upload_into_another_district(admins):
    world, _ = admins
    response = client_for(world["admin_n"]).post(
        "/roster/",
        {"bundle": upload(zip_bytes(bundle_files())), "district": world["south"].pk},
    )
    assert response.status_code == 200 and not RosterImport.objects.exists()


def test_a_superuser_may_import_a_new_district(admins, django_capture_on_commit_callbacks):
    _, others = admins
    with django_capture_on_commit_callbacks():
        response = client_for(others["root"]).post(
            "/roster/", {"bundle": upload(zip_bytes(bundle_files())), "district": ""}
        )
    imp = RosterImport.objects.get()
    assert response.status_code == 302 and imp.district is None and not imp.dry_run
    assert roster_import_run(import_id=imp.pk).status == ImportStatus.DONE
    imp.refresh_from_db()
    assert imp.district.sourced_id == "dist-1"
