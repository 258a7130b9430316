"""On request, the docs' screenshots from a fresh demo: UPDATE_README_SCREENSHOT=1.

    UPDATE_README_SCREENSHOT=1 make test
    UPDATE_README_SCREENSHOT=1 .venv/bin/python -m pytest tests/browser/test_docs_screenshots.py

runs bench/screenshots.py, which builds the site as `make run` does (a new SQLite
database, `load_demo`, `create_demo_admin`, the development server) and photographs
Today in English and French, an English and a French article page and the admin's
review queue into docs/. Only the demo's own data is in them: no test leftovers. It
fails if a page shows a broken image, a failed request or a console error.

Without the variable this test is skipped (with that reason in the summary), so that an
ordinary test run leaves the working tree clean.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from testing.browser import CHROMIUM

ROOT = Path(settings.BASE_DIR)
SCRIPT = ROOT / "bench" / "screenshots.py"
PICTURES = [
    "screenshot-today.png",
    "screenshot-today-fr.png",
    "screenshot-article.png",
    "screenshot-article-fr.png",
    "screenshot-review-queue.png",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("UPDATE_README_SCREENSHOT"),
        reason="on request: UPDATE_README_SCREENSHOT=1 regenerates docs/screenshot-*.png",
    ),
]


def test_docs_screenshots_from_a_fresh_demo():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing (apt-get install chromium)"
    docs = ROOT / "docs"
    before = {name: (docs / name).stat().st_mtime_ns for name in PICTURES if (docs / name).exists()}
    # Its own process, as `make run` would be: its database and settings are not the
    # test run's (which may be PostgreSQL and Redis).
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(docs)], cwd=ROOT, check=True, timeout=600
    )
    for name in PICTURES:
        path = docs / name
        assert path.stat().st_mtime_ns != before.get(name), f"{name} was not rewritten"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
