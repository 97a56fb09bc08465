"""Framework pages: administrators of the district and superusers only (anyone else: 404),
the upload form's errors next to the field (400, never 500), the framework page, activation."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from frameworks.models import Framework
from tests import factories as f

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "frameworks" / "sample" / "home_grown_rubric.csv"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_upload(data: bytes, name: str = "rubric.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def post_import(client: Client, district, data: bytes, *, name="Home-grown rubric", activate=True):
    form = {"district": district.pk, "name": name, "file": csv_upload(data)}
    if activate:
        form["activate"] = "on"
    return client.post(reverse("framework_index"), form)


@pytest.fixture
def framework(school_world):
    return f.FrameworkFactory(district=school_world.district, name="North rubric", is_active=False)


def test_the_administrator_imports_the_sample_and_sees_the_framework(school_world):
    client = client_for(school_world.administrator)
    assert client.get(reverse("framework_index")).status_code == 200
    response = post_import(client, school_world.district, SAMPLE.read_bytes())
    framework = Framework.objects.get(name="Home-grown rubric")
    assert response.status_code == 302
    assert response["Location"] == reverse("framework_detail", args=[framework.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert framework.is_active and framework.district == school_world.district
    assert "3b" in page.text and "Checking for understanding" in page.text
    assert "Exemplary" in page.text
    listing = client.get(reverse("framework_index"))
    assert "Home-grown rubric" in listing.text


def test_a_bad_file_shows_each_problem_next_to_the_field_with_a_400_and_saves_nothing(
    school_world,
):
    client = client_for(school_world.administrator)
    bad = (
        SAMPLE.read_bytes()
        .replace(b'themselves.",,4', b'themselves.",,3.5')
        .replace(b",3,\n", b",9,\n", 1)
    )
    response = post_import(client, school_world.district, bad)
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert any("column “rank”: “3.5” is not a rank" in e for e in errors)
    assert any("column “parent”: no domain with code “9”" in e for e in errors)
    assert "is not a rank" in response.text
    assert not Framework.objects.exists()


def test_a_missing_file_and_name_are_errors_next_to_their_fields(school_world):
    client = client_for(school_world.administrator)
    response = client.post(reverse("framework_index"), {"district": school_world.district.pk})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["file"] == ["Choose the CSV file to import."]
    assert form.errors["name"] == ["Give the framework a name."]


def test_an_administrator_cannot_import_into_another_district(school_world):
    client = client_for(school_world.administrator)
    response = post_import(client, school_world.other_district, SAMPLE.read_bytes())
    assert response.status_code == 400
    assert "district" in response.context["form"].errors
    assert not Framework.objects.exists()


@pytest.mark.parametrize("who", ["principal_a", "coach1", "district_leader", "coach_c"])
def test_everyone_but_administrators_gets_404(school_world, framework, who):
    client = client_for(getattr(school_world, who))
    assert client.get(reverse("framework_index")).status_code == 404
    assert client.get(reverse("framework_detail", args=[framework.pk])).status_code == 404
    activate = client.post(reverse("framework_activate", args=[framework.pk]))
    assert activate.status_code == 404


def test_a_teacher_gets_404(school_world, framework):
    client = client_for(school_world.t1a.user)
    assert client.get(reverse("framework_index")).status_code == 404


def test_an_administrator_of_another_district_gets_404_for_this_framework(school_world, framework):
    other = f.UserFactory()
    f.MembershipFactory(
        user=other, role="administrator", school=None, district=school_world.other_district
    )
    client = client_for(other)
    assert client.get(reverse("framework_index")).status_code == 200
    assert client.get(reverse("framework_detail", args=[framework.pk])).status_code == 404
    assert client.post(reverse("framework_activate", args=[framework.pk])).status_code == 404
    framework.refresh_from_db()
    assert not framework.is_active


def test_a_superuser_sees_every_framework(school_world, framework):
    client = client_for(school_world.superuser)
    assert client.get(reverse("framework_detail", args=[framework.pk])).status_code == 200


def test_the_administrator_activates_a_framework(school_world, framework):
    current = f.FrameworkFactory(district=school_world.district, is_active=True)
    client = client_for(school_world.administrator)
    response = client.post(reverse("framework_activate", args=[framework.pk]))
    assert response.status_code == 302
    framework.refresh_from_db()
    current.refresh_from_db()
    assert framework.is_active and not current.is_active


def test_the_navigation_shows_frameworks_to_administrators_only(school_world):
    url = reverse("framework_index")
    admin_page = client_for(school_world.administrator).get(reverse("home"), follow=True)
    coach_page = client_for(school_world.coach1).get(reverse("home"), follow=True)
    assert f'href="{url}"' in admin_page.text
    assert f'href="{url}"' not in coach_page.text
