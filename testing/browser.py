"""Debian's Chromium for the browser tests, driven by Playwright.

How it is launched (the `browser` fixture in tests/conftest.py uses this), and what a
page reports while a test drives it. Playwright itself is imported by the tests that
need it, so that importing this module never requires it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium from a started sync Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def record_errors(
    page: Any, errors: list[str], *, ignore: Callable[[str], bool] = lambda text: False
) -> None:
    """Append the page's uncaught exceptions and console errors to `errors`.

    A Content-Security-Policy violation is reported on the console, so it lands there
    too. `ignore` is asked about each console error's text; True drops it.
    """
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))

    def console(message: Any) -> None:
        if message.type == "error" and not ignore(message.text):
            errors.append(f"console: {message.text}")

    page.on("console", console)
