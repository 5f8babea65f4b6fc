"""Helpers of the browser tests: screenshots, the burner sign-in, waiting."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"


def shoot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under test-output/ (and docs/screenshots/ with KEEP_SCREENSHOTS=1)."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("KEEP_SCREENSHOTS"):
        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / f"{name}.png")
    return path


def visit(page, path: str) -> None:
    """Open a page and wait until its module has attached its handlers."""
    page.goto(path)
    page.locator("body[data-ready]").wait_for(state="attached")


def me(page) -> str:
    return page.evaluate("async () => (await (await fetch('/api/me')).json()).address")


def sign_in_with_burner(page) -> str:
    """Landing -> a new burner -> sign in; returns the player's address."""
    visit(page, "/")
    page.get_by_role("button", name="Create a burner wallet").click()
    page.get_by_role("button", name=re.compile("^Sign in as")).click()
    page.get_by_text("Welcome, traveller").wait_for()
    return me(page)


def quest_card(page, quest_id: str):
    return page.locator(f"[data-quest-panel] [data-quest='{quest_id}']")


def wait_done(page, quest_id: str, timeout: float = 45_000) -> None:
    """The quest's card on a region page says completed (or rewarded), without a reload."""
    page.locator(f"[data-quest-panel] [data-quest='{quest_id}'].completed, "
                 f"[data-quest-panel] [data-quest='{quest_id}'].rewarded").wait_for(timeout=timeout)


def wait_until(predicate, timeout: float = 30.0, step: float = 0.25):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out waiting")
