"""The editor's desk in a real browser: Debian's Chromium driven by Playwright.

An editor signs in, finds the article waiting for review on the admin's index, opens
its page, publishes it, sees it published, sends it back; a reader gets a 404 for the
same page. The admin's article list fits a 1,280 px window, one line per article.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Article
from testing.browser import CHROMIUM, record_errors
from tests.factories import make_article, make_source

# Playwright's sync API runs an event loop in this thread; the test's own database
# calls are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery-staple-42"
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="apt-get install chromium"),
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    # As in production: the desk must neither come from the page cache nor go into it.
    settings.PAGE_CACHE = True


@pytest.fixture
def contexts(browser):
    """New browser contexts (each its own cookies) that record their pages' errors."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opened, errors = [], []

    def new_page():
        context = browser.new_context(viewport=DESKTOP)
        opened.append(context)
        page = context.new_page()
        # A 404 page's own request is reported on the console: it is what we expect.
        record_errors(page, errors, ignore=lambda text: "404" in text)
        page.set_default_timeout(10_000)
        return page

    yield new_page
    for context in opened:
        context.close()
    assert errors == [], errors


@pytest.fixture
def editor_user(transactional_db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "desk-editor", "desk-editor@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def test_an_editor_publishes_from_the_page_and_sends_it_back(contexts, live_server, editor_user):
    article = make_article(
        title="Inference chips, one year on",
        slug="inference-chips",
        status=Article.Status.REVIEW,
        status_reason="score 4.0 below 5.5",
        score=4.0,
        topic=None,
        audio_url="",  # no player: nothing to fetch from outside
    )
    url = f"{live_server.url}{article.get_absolute_url()}"
    reader = contexts()
    assert reader.goto(url).status == 404

    page = contexts()
    sign_in(page, live_server, editor_user)
    # The admin's index: the queue, and the article in it.
    queue = page.locator("#review-queue")
    expect(queue.locator('[data-status="review"] .review-count')).to_have_text("1")
    page.screenshot(path=SCREENSHOTS / "editor-admin-index.png", full_page=True)
    overflow = page.evaluate(
        """() => document.querySelector('#review-queue table').getBoundingClientRect().right
                 - document.querySelector('#review-queue').getBoundingClientRect().right"""
    )
    assert overflow <= 0.5, overflow  # the queue stays inside its column
    queue.get_by_role("link", name="Preview").click()
    page.wait_for_url(url)

    desk = page.locator("[data-editor-desk]")
    expect(desk).to_contain_text("Status: In review")
    expect(desk).to_contain_text("Only editors see this page.")
    expect(desk).to_contain_text("Its score, 4.0, is below the 5.5 the publish rule asks for.")
    expect(page.locator("h1")).to_have_text(article.title)
    page.screenshot(path=SCREENSHOTS / "editor-desk-review.png", full_page=True)

    desk.get_by_role("button", name="Publish").click()
    page.wait_for_url(url)
    desk = page.locator("[data-editor-desk]")
    expect(desk).to_contain_text("Published: readers see it now.")
    expect(desk).to_contain_text("Status: Published")
    expect(desk.get_by_role("button", name="Publish")).to_have_count(0)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    # The reader sees it now, without the desk.
    assert reader.goto(url).status == 200
    expect(reader.locator("h1")).to_have_text(article.title)
    expect(reader.locator("[data-editor-desk]")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "editor-desk-published.png", full_page=True)

    desk.get_by_role("button", name="Send back to review").click()
    page.wait_for_url(url)
    desk = page.locator("[data-editor-desk]")
    expect(desk).to_contain_text("Sent back to review: readers no longer see it.")
    expect(desk).to_contain_text("Status: In review")
    expect(desk).to_contain_text("An editor sent it back to review.")
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    # The same page for the reader: gone again, whatever the cache held.
    assert reader.goto(url).status == 404


def test_the_admin_article_list_fits_1280_pixels(contexts, live_server, editor_user):
    source = make_source(name="A podcast whose name is much longer than any column allows it")
    for n in range(12):
        make_article(
            source=source,
            title=(
                f"Episode {n}: a very long title about compilers, databases, open models, "
                "chips, the economics of inference and what all of it means for developers"
            ),
            status=Article.Status.NEEDS_TRANSCRIPT if n % 2 else Article.Status.PUBLISHED,
            topic=None,
        )
    page = contexts()
    sign_in(page, live_server, editor_user)
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.screenshot(path=SCREENSHOTS / "editor-admin-article-list.png", full_page=False)

    layout = page.evaluate(
        """() => {
          const table = document.querySelector('#result_list');
          const rows = [...table.querySelectorAll('tbody tr')];
          const line = parseFloat(getComputedStyle(table).lineHeight) ||
                       parseFloat(getComputedStyle(table).fontSize) * 1.4;
          const right = Math.max(...[...table.querySelectorAll('th, td')]
                                 .map(cell => cell.getBoundingClientRect().right));
          return {
            viewport: window.innerWidth,
            scrollWidth: document.documentElement.scrollWidth,
            tableRight: right,
            rows: rows.length,
            line,
            tallest: Math.max(...rows.map(row => row.getBoundingClientRect().height)),
            titles: rows.map(row => row.querySelector('.article-title').getAttribute('title')),
          };
        }"""
    )
    assert layout["rows"] == 12
    # Nothing cut off on the right, no sideways scrolling.
    assert layout["scrollWidth"] <= layout["viewport"], layout
    assert layout["tableRight"] <= layout["viewport"], layout
    # One line per article (a row is a line plus its padding, never five lines).
    assert layout["tallest"] < 2.5 * layout["line"], layout
    # The whole title is in the title attribute.
    assert all(re.match(r"Episode \d+: .* for developers$", t) for t in layout["titles"])
