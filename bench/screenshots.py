"""Screenshots of the demo for docs/, made the way `make run` makes the site.

The translations are compiled, a fresh SQLite database in a temporary folder is
migrated and filled by `load_demo` (the real pipeline and the offline digests), the
demo admin is created by `create_demo_admin`, and the development server serves it; then
Debian's Chromium (through Playwright) photographs, 1,280 px wide:

    docs/screenshot-today.png           /, Today
    docs/screenshot-today-fr.png        /fr/, Today in French
    docs/screenshot-article.png         an English article page (the README's picture)
    docs/screenshot-article-fr.png      a French article page
    docs/screenshot-review-queue.png    the admin's index, signed in: the review queue

Nothing here is drawn by hand: run it again after changing the digests or the templates
and the pictures follow. A page with a console error, a failed request or a broken image
stops the run, so that no picture of a broken page is written.

    .venv/bin/python bench/screenshots.py [--port 8765] [--out docs]

The browser tests run it on request: UPDATE_README_SCREENSHOT=1 make test
(tests/browser/test_docs_screenshots.py).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testing.browser import launch_chromium, record_errors  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}
# A full page, cut at this height: Today runs long, and the top of it is what a reader
# sees first (and keeps the picture small).
MAX_HEIGHT = 2400

# The article pages to show: a long English interview and a French news round-up.
ARTICLES = {
    "screenshot-article.png": ("en", "Seed Round"),
    "screenshot-article-fr.png": ("fr", "IA francophone"),
}
NAMES = [
    "screenshot-today.png",
    "screenshot-today-fr.png",
    *ARTICLES,
    "screenshot-review-queue.png",
]

BROKEN_IMAGES = """
Array.from(document.images)
  .filter((img) => !img.complete || img.naturalWidth === 0)
  .map((img) => img.currentSrc || img.src)
"""


def manage(*args: str, env: dict[str, str], capture: bool = False) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return out.stdout or ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


def article_path(env: dict[str, str], language: str, title_part: str) -> str:
    """The page, in `language`, of the published demo article whose title holds
    `title_part`."""
    code = (
        "from django.utils import translation;"
        "from articles.models import Article;"
        f"a = Article.objects.published().get(title__icontains={title_part!r});"
        f"translation.activate({language!r});"
        "print(a.get_absolute_url())"
    )
    return manage("shell", "-c", code, env=env, capture=True).strip().splitlines()[-1]


class Shooter:
    """One browser context; each picture is taken after checking the page is whole."""

    def __init__(self, browser: Any, base: str, out: Path):
        self.base = base
        self.out = out
        self.context = browser.new_context(viewport=VIEWPORT, color_scheme="light", locale="en-GB")
        self.page = self.context.new_page()
        self.problems: list[str] = []
        record_errors(self.page, self.problems)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _failed(self, request: Any) -> None:
        # Leaving a page aborts the media it was still streaming: not a failure.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="networkidle")
        broken = self.page.evaluate(BROKEN_IMAGES)
        if broken or self.problems:
            raise RuntimeError(f"{path}: broken images {broken}, problems {self.problems}")

    def shoot(self, name: str) -> Path:
        height = self.page.evaluate("document.documentElement.scrollHeight")
        target = self.out / name
        clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(height, MAX_HEIGHT)}
        self.page.screenshot(path=str(target), full_page=True, clip=clip)
        cut = f", cut at {MAX_HEIGHT} of {height} px" if height > MAX_HEIGHT else ""
        print(f"wrote {name} ({self.page.url}{cut})")
        return target

    def close(self) -> None:
        self.context.close()


def take(out: Path, port: int = 0) -> list[Path]:
    """Build the demo as `make run` does, serve it, and write every picture into `out`."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "REDIS_URL": "",
            "DEBUG": "1",
            "PAGE_CACHE": "0",
            "SITE_URL": f"http://127.0.0.1:{port}",
        }
        manage("compilemessages", "--ignore=.venv", "-v", "0", env=env)
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("load_demo", env=env)
        printed = manage("create_demo_admin", env=env, capture=True)
        username = re.search(r"username: (\S+)", printed).group(1)
        password = re.search(r"password: (\S+)", printed).group(1)
        articles = {
            name: article_path(env, language, title_part)
            for name, (language, title_part) in ARTICLES.items()
        }
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/healthz")
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                try:
                    reader = Shooter(browser, base, out)
                    for name, path in (
                        ("screenshot-today.png", "/"),
                        ("screenshot-today-fr.png", "/fr/"),
                    ):
                        reader.goto(path)
                        written.append(reader.shoot(name))
                    for name, path in articles.items():
                        reader.goto(path)
                        # Open the score details: the words that say why it scored so.
                        details = reader.page.locator("details.score-details")
                        if details.count():
                            details.first.evaluate("d => d.open = true")
                        written.append(reader.shoot(name))
                    reader.close()

                    editor = Shooter(browser, base, out)
                    editor.goto("/admin/login/?next=/admin/")
                    editor.page.fill("#id_username", username)
                    editor.page.fill("#id_password", password)
                    with editor.page.expect_navigation():
                        editor.page.locator("#login-form [type=submit]").click()
                    editor.goto("/admin/")
                    if not editor.page.locator("#review-queue").count():
                        raise RuntimeError("/admin/: no review queue on the admin's index")
                    written.append(editor.shoot("screenshot-review-queue.png"))
                    editor.close()
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    for path in take(args.out, args.port):
        print(f"{path.name}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
