"""The demo in a real browser, as `make run` shows it: Debian's Chromium via Playwright.

After `load_demo` (run "today"), every demo page (Today in English and French, the
topics, the videos, each article) loads with no broken image, no failed request and
no console error; every article page has its "More from <topic>" and a live player;
the audio plays and a key point's timestamp seeks it.
"""

import os
import time

# Playwright's sync API runs an event loop in this thread; the test's ORM calls are
# still plain synchronous code, which Django would otherwise refuse next to a loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

from articles.models import Article  # noqa: E402
from digests.models import KeyPoint  # noqa: E402
from testing.browser import record_errors  # noqa: E402
from topics.models import Topic  # noqa: E402

pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Every <img> has loaded and has pixels; every player has its file's length.
BROKEN_IMAGES = """
Array.from(document.images)
  .filter((img) => !img.complete || img.naturalWidth === 0)
  .map((img) => img.currentSrc || img.src)
"""
DEAD_PLAYERS = """
Array.from(document.querySelectorAll("audio, video"))
  .filter((m) => m.error || !(m.duration > 0))
  .map((m) => (m.currentSrc || m.src) + " error=" + (m.error && m.error.code))
"""


def wait_until(page, expression: str, timeout: float = 10) -> None:
    """Poll a JavaScript expression until it is true. page.wait_for_function compiles
    its predicate with eval() in the page, which the site's CSP (rightly) refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {expression}")
        page.wait_for_timeout(100)


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)
    return Article.objects.published().select_related("topic")


class Tab:
    """A page that keeps its console errors, failed requests and error responses."""

    def __init__(self, context):
        self.page = context.new_page()
        self.problems: list[str] = []
        record_errors(self.page, self.problems)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _failed(self, request) -> None:
        # Leaving a page aborts the media it was still streaming: not a failure.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        broken = self.page.evaluate(BROKEN_IMAGES)
        assert not broken, (url, broken)
        assert not self.problems, (url, self.problems)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield Tab(context)
    context.close()


def test_every_demo_page_is_whole(live_server, demo, tab):
    pages = ["/", "/fr/", "/topics/", "/videos/", "/fr/videos/"]
    pages += [f"/topics/{slug}/" for slug in Topic.objects.values_list("slug", flat=True)]
    for path in pages:
        tab.visit(live_server.url + path)

    assert demo.count() >= 24
    for article in demo:
        url = live_server.url + article.get_absolute_url()
        tab.visit(url)
        page = tab.page
        heading = page.locator("#related-heading")
        assert heading.inner_text() == f"More from {article.topic.name_en}", url
        assert page.locator(".related article, .related li").count() >= 2, url
        # The player has the episode's length (its metadata loaded), and no YouTube embed.
        assert page.locator("#player audio").count() == 1, url
        assert page.locator("iframe").count() == 0, url
        wait_until(page, "document.querySelector('#player audio').readyState >= 1")
        assert not page.evaluate(DEAD_PLAYERS), url
        last = max(
            (p.start_seconds or 0 for p in KeyPoint.objects.filter(digest__article=article)),
            default=0,
        )
        assert page.evaluate("document.querySelector('#player audio').duration") > last, url
        assert not tab.problems, (url, tab.problems)


def test_the_demo_player_plays_and_a_key_point_seeks_it(live_server, demo, tab):
    # A video of the demo: it plays its local audio under the show's artwork.
    article = demo.filter(source__kind="youtube").order_by("-published_at").first()
    tab.visit(live_server.url + article.get_absolute_url())
    page = tab.page
    wait_until(page, "document.querySelector('#player audio').readyState >= 1")

    # Muted: headless Chromium lets a muted player start without a click.
    page.evaluate(
        "(() => { const a = document.querySelector('#player audio');"
        " a.muted = true; return a.play(); })()"
    )
    wait_until(page, "document.querySelector('#player audio').currentTime > 1", timeout=15)

    seek = page.locator(".key-point a.seek").last
    target = float(seek.get_attribute("data-seek"))
    assert target > 30
    seek.click()
    wait_until(
        page, f"Math.abs(document.querySelector('#player audio').currentTime - {target}) < 3"
    )
    # And it goes on playing from there.
    wait_until(page, f"document.querySelector('#player audio').currentTime > {target} + 0.5")
    page.evaluate("document.querySelector('#player audio').pause()")
    assert not tab.problems, tab.problems
