"""Where clips are kept: local disk by default, outside the media folder and with no public
URL; S3-compatible storage when configured, served by a redirect to a short-lived signed URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.clips.conftest import ready_clip
from tests.conftest import ROOT

S3_CLIPS = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "clips-bucket",
        "endpoint_url": "https://s3.example.test",
        "access_key": "test-access-key",
        "secret_key": "test-secret-key",
        "region_name": "eu-west-1",
        "querystring_auth": True,
        "querystring_expire": 300,
        "default_acl": None,
        "file_overwrite": False,
    },
}

PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'clips': s.STORAGES['clips'], 'media': s.MEDIA_ROOT, "
    "'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['media-src'], 'max': s.CLIP_MAX_BYTES}, "
    "default=str))"
)


def _settings_with(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLIP_")}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.base", **env)
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT_SETTINGS}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_local_storage_by_default_outside_media_with_no_url():
    found = _settings_with()
    assert found["clips"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["clips"]["OPTIONS"]["base_url"] is None
    assert not found["clips"]["OPTIONS"]["location"].startswith(found["media"])
    assert found["csp"] == ["'self'"]
    assert found["max"] == 500 * 1024 * 1024


def test_s3_storage_from_the_environment():
    found = _settings_with(
        CLIP_STORAGE_BACKEND="s3",
        CLIP_S3_BUCKET="clips-bucket",
        CLIP_S3_ENDPOINT_URL="https://minio.example.test:9000/",
        CLIP_MAX_MB="100",
    )
    options = found["clips"]["OPTIONS"]
    assert found["clips"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "clips-bucket"
    assert options["querystring_auth"] is True and options["querystring_expire"] == 300
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert found["csp"] == ["'self'", "https://minio.example.test:9000"]
    assert found["max"] == 100 * 1024 * 1024


@pytest.mark.django_db
def test_on_s3_the_checked_viewer_is_sent_to_a_signed_url(school_world):
    w = school_world
    clip = ready_clip(cycle=w.c1a)
    coach = Client()
    coach.force_login(w.coach1)
    with override_settings(STORAGES={**settings.STORAGES, "clips": S3_CLIPS}):
        response = coach.get(reverse("clip_video", args=[clip.pk]))
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith("https://s3.example.test/clips-bucket/")
        query = parse_qs(urlsplit(location).query)
        assert "Signature" in query or "X-Amz-Signature" in query
        if "Expires" in query:  # signature v2: an epoch time, 300 s ahead
            assert 0 < int(query["Expires"][0]) - time.time() <= 301
        else:
            assert query["X-Amz-Expires"] == ["300"]
        assert response["Cache-Control"] == "private, no-store"
        other = Client()
        other.force_login(w.principal_a)
        assert other.get(reverse("clip_video", args=[clip.pk])).status_code == 404
