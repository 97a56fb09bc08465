"""Production settings (config/settings/production.py): Django's deployment checks pass with no
warning, the responses carry the security headers, http is sent to https unless the TLS proxy
says the visit came over https, and the settings refuse to start without their secrets.

Each check runs in a subprocess, as a deployment would start: production settings are read once
per process and the test run's own settings stay untouched.
"""

import json
import os
import secrets
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

HOST = "coaching.example.org"


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AXES_", "PYTEST", "CELERY_TASK_DEFAULT_QUEUE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        APP_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_no_warning(tmp_path):
    done = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    # The only silenced check is HSTS preloading, a choice left to each district (README).
    assert "(1 silenced)" in done.stdout


def test_check_deploy_warns_when_a_protection_is_turned_off(tmp_path):
    """The check above would catch a regression: turning HSTS and the redirect off warns."""
    env = production_env(tmp_path, DJANGO_SECURE_HSTS_SECONDS="0", DJANGO_SECURE_SSL_REDIRECT="0")

    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout
    assert "security.W008" in done.stderr + done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    done = run(["manage.py", "check"], env)

    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr


RESPONSES = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    out = {}
    for name, kwargs in {
        "http": {},
        "proxied_https": {"HTTP_X_FORWARDED_PROTO": "https"},
        "https": {"secure": True},
    }.items():
        r = Client(HTTP_HOST="__HOST__").get("/accounts/login/", **kwargs)
        out[name] = {"status": r.status_code, "location": r.get("Location"),
                     "headers": dict(r.headers.items()),
                     "cookies": {k: dict(v.items()) for k, v in r.cookies.items()}}
    print(json.dumps(out))
    """
).replace("__HOST__", HOST)


@pytest.fixture(scope="module")
def responses(tmp_path_factory):
    env = production_env(tmp_path_factory.mktemp("deploy"))
    env["DJANGO_ALLOWED_HOSTS"] = f"{HOST},testserver"
    # As a deployment does (docs/administration.md): the manifest storage needs its files collected.
    collected = run(["manage.py", "collectstatic", "--noinput"], env)
    assert collected.returncode == 0, collected.stderr
    done = run(["-c", RESPONSES], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(responses):
    assert responses["http"]["status"] == 301
    assert responses["http"]["location"] == f"https://{HOST}/accounts/login/"


def test_https_through_the_proxy_is_served(responses):
    assert responses["proxied_https"]["status"] == 200


def test_https_responses_carry_the_security_headers(responses):
    headers = {k.lower(): v for k, v in responses["https"]["headers"].items()}

    assert responses["https"]["status"] == 200
    assert headers["strict-transport-security"] == "max-age=2592000; includeSubDomains"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    policy = dict(
        [*part.strip().split(" ", 1), ""][:2]
        for part in headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in headers["content-security-policy"]


def test_the_csrf_cookie_is_secure(responses):
    cookie = responses["https"]["cookies"]["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_bench_settings_still_load_over_plain_http(tmp_path):
    """bench/settings.py imports production and turns https off for loopback."""
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="bench.settings")

    done = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])",
        ],
        env,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "0", "[\"'self'\"]"]
