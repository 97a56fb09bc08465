#!/usr/bin/env python
"""Screenshots of the main screens of a running app (`make run`) for each demo role, at phone
and laptop widths, into docs/screenshots/. Uses Debian's Chromium through Playwright.

    python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "coach-demo-2026"  # nosec B105  # the demo's published password (README)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (file stem, username or None for anonymous, path)
SHOTS = [
    ("sign-in", None, "/accounts/login/"),
    ("coach-caseload", "coach.okafor", "/caseload/"),
    ("principal-dashboard", "principal", "/dashboard/"),
    ("district-dashboard", "district", "/dashboard/"),
    ("teacher-my-move", "teacher.lee", "/my-move/"),
    ("teacher-next-step", "teacher.porter", "/my-move/"),
]
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for stem, username, path in SHOTS:
            for size_name, viewport in SIZES.items():
                context = browser.new_context(base_url=args.base, viewport=viewport)
                page = context.new_page()
                if username:
                    page.goto("/accounts/login/")
                    page.get_by_label("Username").fill(username)
                    page.get_by_label("Password").fill(PASSWORD)
                    page.get_by_role("button", name="Sign in").click()
                    page.wait_for_load_state()
                page.goto(path)
                target = out / f"{stem}-{size_name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
