"""`make audit`'s dependency check (scripts/audit_deps.py): a vulnerable or unaudited pin fails,
a clean audit passes, and a feed that does not work is said loudly (an error when required).
pip-audit's answers are stood in for here; CI's `make audit` is the real run."""

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)

CANARY_FOUND = {"dependencies": [{"name": "django", "version": "3.2", "vulns": [{"id": "X"}]}]}
CANARY_404 = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}


def fake(monkeypatch, canary, pins, stderr=""):
    def pip_audit(requirements: Path):
        return (pins if requirements == audit_deps.REQUIREMENTS else canary), stderr

    monkeypatch.setattr(audit_deps, "pip_audit", pip_audit)


def dep(name, vulns=(), skip=None):
    found = {"name": name, "version": "1.0", "vulns": list(vulns)}
    if skip:
        found = {"name": name, "skip_reason": skip}
    return found


def test_clean_pins_pass(monkeypatch, capsys):
    fake(monkeypatch, CANARY_FOUND, {"dependencies": [dep("django"), dep("celery")]})

    assert audit_deps.main() == 0
    assert "2 of 2 pins audited, 0 vulnerable" in capsys.readouterr().out


def test_a_vulnerable_pin_fails_with_its_fix(monkeypatch, capsys):
    vuln = {"id": "PYSEC-1", "fix_versions": ["1.1"]}
    fake(monkeypatch, CANARY_FOUND, {"dependencies": [dep("django"), dep("celery", [vuln])]})

    assert audit_deps.main() == 1
    assert "VULNERABLE celery==1.0: PYSEC-1 (fixed in 1.1)" in capsys.readouterr().out


def test_a_pin_the_working_feed_cannot_audit_fails(monkeypatch, capsys):
    fake(monkeypatch, CANARY_FOUND, {"dependencies": [dep("django"), dep("x", skip="not found")]})

    assert audit_deps.main() == 1
    assert "NOT AUDITED x: not found" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("canary", "stderr"),
    [
        (CANARY_404, ""),
        (None, "ConnectionError: could not connect"),
        ({"dependencies": [dep("django")]}, ""),  # a feed that knows nothing is no feed
    ],
)
def test_a_feed_that_does_not_work_is_said_loudly_and_fails_when_required(
    monkeypatch, capsys, canary, stderr
):
    fake(monkeypatch, canary, {"dependencies": [dep("django")]}, stderr)

    monkeypatch.delenv("AUDIT_REQUIRE_FEED", raising=False)
    assert audit_deps.main() == 0
    assert "NOTHING WAS AUDITED" in capsys.readouterr().out

    monkeypatch.setenv("AUDIT_REQUIRE_FEED", "1")
    assert audit_deps.main() == 2
    assert "it is set: failing" in capsys.readouterr().out
