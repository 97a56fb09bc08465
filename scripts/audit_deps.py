"""Known vulnerabilities in the pinned dependencies (`make audit`, run by CI).

pip-audit reads the exact pins of requirements.txt (``--no-deps --disable-pip``: every package,
direct or transitive, is pinned there, so nothing is resolved or installed) and asks PyPI's
vulnerability feed about each. The answer is one of:

* no known vulnerability in any pin: exit 0;
* a known vulnerability: exit 1, listed with the versions that fix it. Fix it by raising the
  pin; a finding that cannot be fixed yet is accepted only with ``--ignore-vuln ID`` below and a
  row in docs/testing.md "Security checks" saying why;
* the feed answered for some pins but could not audit others: exit 1. A pin nobody checked is
  not a pass;
* the feed does not work from this machine at all (no connection, or it cannot even report
  the known vulnerabilities of a canary pin): a banner saying that NOTHING WAS AUDITED, and
  exit 0, or exit 2 when AUDIT_REQUIRE_FEED=1. A machine without the feed cannot tell a safe
  pin from a vulnerable one; failing every build there would only teach people to skip the
  check, so the run says loudly what it did not do instead, and a machine that has the feed
  sets AUDIT_REQUIRE_FEED=1 to make its absence an error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
# A pin with long-published vulnerabilities: a feed that reports none for it is not working.
CANARY = "django==3.2"
# Accepted findings: ID -> reason (each also in docs/testing.md "Security checks").
IGNORED: dict[str, str] = {}


def pip_audit(requirements: Path) -> tuple[dict | None, str]:
    """pip-audit's JSON report for ``requirements`` (None when it gave none) and its stderr."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            sys.executable, "-m", "pip_audit",
            "--requirement", str(requirements),
            "--no-deps", "--disable-pip",
            "--vulnerability-service", "pypi",
            "--progress-spinner", "off",
            "--format", "json", "--output", str(report),
            *(arg for vuln in IGNORED for arg in ("--ignore-vuln", vuln)),
        ]  # fmt: skip
        done = subprocess.run(  # nosec B603  # the fixed command above, no shell
            command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
        )
        text = report.read_text() if report.exists() else ""
    try:
        return (json.loads(text) if text.strip() else None), done.stderr
    except ValueError:
        return None, done.stderr


def feed_works() -> tuple[bool, str]:
    """Whether the feed reports the known vulnerabilities of CANARY, and why not."""
    with tempfile.TemporaryDirectory() as tmp:
        canary = Path(tmp) / "canary.txt"
        canary.write_text(CANARY + "\n")
        report, stderr = pip_audit(canary)
    if report is None:
        return False, (stderr.strip().splitlines() or ["pip-audit gave no report"])[-1]
    dep = report["dependencies"][0]
    if dep.get("skip_reason"):
        return False, dep["skip_reason"]
    if not dep.get("vulns"):
        return False, f"the feed reports no vulnerability for {CANARY}, which has many"
    return True, ""


def banner(lines: list[str]) -> None:
    width = max(len(line) for line in lines) + 4
    print("!" * width, *(f"! {line.ljust(width - 4)} !" for line in lines), "!" * width, sep="\n")


def main() -> int:
    works, why = feed_works()
    if not works:
        required = os.environ.get("AUDIT_REQUIRE_FEED", "") in {"1", "true", "yes"}
        banner(
            [
                "pip-audit: NOTHING WAS AUDITED. PyPI's vulnerability feed does not work",
                f"from this machine: {why}",
                "The pins in requirements.txt were NOT checked for known vulnerabilities.",
                "Run `make audit` where the feed is reachable (docs/testing.md 'Security checks');",
                "AUDIT_REQUIRE_FEED=1 makes this an error"
                + (" (it is set: failing)." if required else " (not set: going on)."),
            ]
        )
        return 2 if required else 0

    report, stderr = pip_audit(REQUIREMENTS)
    if report is None:
        print(stderr, file=sys.stderr)
        print("pip-audit: no report (above): failing.", file=sys.stderr)
        return 1
    deps = report["dependencies"]
    skipped = [d for d in deps if d.get("skip_reason")]
    vulnerable = [d for d in deps if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {dep['name']}=={dep['version']}: {vuln['id']} (fixed in {fixes})")
    for dep in skipped:
        print(f"NOT AUDITED {dep['name']}: {dep['skip_reason']}")
    audited = len(deps) - len(skipped)
    print(
        f"pip-audit: {audited} of {len(deps)} pins audited, {len(vulnerable)} vulnerable, "
        f"{len(skipped)} not audited; {len(IGNORED)} accepted finding(s) ignored."
    )
    return 1 if vulnerable or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
