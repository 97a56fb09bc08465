"""The app's own error pages, not Django's debug pages: a missing page is the "Not found" page
and an error the "Server error" page, both in the app's layout; `make run`'s local settings
keep DEBUG off unless DJANGO_DEBUG asks for it, and serve the static files either way."""

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import path

from config import urls as project_urls
from tests.conftest import ROOT


@pytest.mark.django_db
def test_a_missing_page_is_the_apps_own_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "<title>Not found · Coaching cycles</title>" in body
    assert 'href="/static/css/app.css"' in body  # the app's layout
    assert '<a href="/">Go to your home page</a>' in body
    assert "URLconf" not in body  # never Django's debug page with every URL pattern


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), *project_urls.urlpatterns]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_is_the_apps_own_error_page_in_its_layout(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "<title>Server error · Coaching cycles</title>" in body
    assert 'href="/static/css/app.css"' in body
    assert "Something went wrong" in body
    assert "boom" not in body


def _local_settings(tmp_path, **env) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.local", APP_VAR_DIR=str(tmp_path))
    environment.update(env)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.WHITENOISE_USE_FINDERS)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_make_run_has_debug_off_unless_asked_and_serves_static_files_either_way(tmp_path):
    assert _local_settings(tmp_path) == "False True"
    assert _local_settings(tmp_path, DJANGO_DEBUG="1") == "True True"
