"""Screenshots of the demo's article pages for docs/, made the way `make run` makes the site.

A fresh SQLite database in a temporary folder is migrated and filled by `load_demo`
(the real pipeline and the offline digests), the development server serves it, and
Debian's Chromium (through Playwright) photographs one English and one French article
page. Nothing here is drawn by hand: run it again after changing the digests or the
templates and the pictures follow.

    .venv/bin/python bench/screenshots.py [--port 8765]

Writes docs/screenshot-article.png (English, the README's picture) and
docs/screenshot-article-fr.png.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import launch_chromium  # noqa: E402

# The episodes to show: a long English interview and a French news round-up.
PAGES = {
    "screenshot-article.png": ("/articles/", "Seed Round"),
    "screenshot-article-fr.png": ("/fr/articles/", "IA francophone"),
}


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def article_path(env: dict[str, str], title_part: str) -> str:
    """The page of the published demo article whose title holds `title_part`."""
    code = (
        "from articles.models import Article;"
        f"a = Article.objects.filter(title__icontains={title_part!r}).first();"
        "print(a.get_absolute_url())"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "REDIS_URL": "",
            "DEBUG": "1",
            "PAGE_CACHE": "0",
        }
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("load_demo", env=env)
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{args.port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{args.port}"
        try:
            wait_for(base + "/")
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, (prefix, title_part) in PAGES.items():
                    path = article_path(env, title_part)
                    if prefix.startswith("/fr/") and not path.startswith("/fr/"):
                        path = "/fr" + path
                    page.goto(base + path, wait_until="networkidle")
                    # Open the score details: the words that say why it scored so.
                    details = page.locator("details.score-details")
                    if details.count():
                        details.first.evaluate("d => d.open = true")
                    target = ROOT / "docs" / name
                    page.screenshot(path=str(target), full_page=True)
                    print(f"wrote {target.relative_to(ROOT)} ({base + path})")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
