"""The reader site in a real browser: Debian's Chromium driven by Playwright.

Open Today, follow an article, click a key point and watch the player's current time
move, switch to French and stay on the article, toggle dark mode, check the page works
without JavaScript, and save screenshots at desktop and phone widths under
test-artifacts/screenshots/ (the pictures in docs/ come from the demo instead: see
test_docs_screenshots.py). Every page must load without a console error or a
Content-Security-Policy violation.
"""

import os

# Playwright's sync API runs an event loop in this thread; the test's ORM calls are
# still plain synchronous code, which Django would otherwise refuse next to a loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402

from digests.models import KeyPoint
from ingestion.models import Source  # noqa: E402
from testing.browser import record_errors  # noqa: E402
from tests.factories import make_article, make_source  # noqa: E402

pytest.importorskip("playwright.sync_api")

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AUDIO_SECONDS = 60
DEMO_AUDIO = "Bt4cH9mQe2L.opus"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("starting_topics"),
]


# --- a small audio server ---------------------------------------------------------------


@pytest.fixture(scope="module")
def audio_url(live_server):
    """A real, seekable episode served by the site itself: the demo's Opus audio (nine
    minutes of speech). The site's CSP plays media only from itself or over HTTPS, so a
    plain-HTTP server on another port would be blocked, as it should be."""
    return f"{live_server.url}/static/demo/audio/{DEMO_AUDIO}"


# --- the browser -------------------------------------------------------------------------
# `browser` (tests/conftest.py): one Chromium per test.


class Watched:
    """A page whose console errors, uncaught exceptions and CSP violations are kept."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.errors: list[str] = []
        self.expected_404 = False
        record_errors(self.page, self.errors, ignore=self._expected)

    def _expected(self, text: str) -> bool:
        return self.expected_404 and "status of 404" in text

    def goto(self, url, expect_404=False):
        self.expected_404 = expect_404
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        return response

    def assert_clean(self):
        violations = self.page.evaluate("window.__cspViolations || []")
        assert not violations, violations
        assert not self.errors, self.errors


# Playwright's init scripts are injected by the browser itself, so the page's CSP does
# not block this listener that records violations.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(viewport=DESKTOP, javascript=True, mobile=False):
        context = browser.new_context(
            viewport=viewport,
            java_script_enabled=javascript,
            is_mobile=mobile,
            has_touch=mobile,
            color_scheme="light",
            locale="en-GB",
        )
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return Watched(context)

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- test data -----------------------------------------------------------------------------


KEY_POINTS = [
    (
        "Open-weight models reach the frontier",
        "The newest open-weight releases score within a point or two of the best closed "
        "models on coding benchmarks, and run on hardware a mid-sized company can rent.",
        5.0,
    ),
    (
        "Prices fall faster than expected",
        "Per-token prices dropped by roughly an order of magnitude in a year, pushing "
        "vendors to compete on tooling and support instead of raw model access.",
        18.0,
    ),
    (
        "Chips remain the bottleneck",
        "Both guests agree that access to accelerators, not ideas, decides who can train "
        "the next generation, which is why export rules matter so much.",
        34.0,
    ),
]

TRANSCRIPT = [
    {
        "start": 0.0,
        "end": 5.0,
        "speaker": "Maya",
        "text": "Welcome back. Today we talk about open models.",
    },
    {
        "start": 5.0,
        "end": 12.0,
        "speaker": "Maya",
        "text": "The benchmarks this month surprised everyone.",
    },
    {
        "start": 12.0,
        "end": 18.0,
        "speaker": "Tom",
        "text": "They did. The gap with closed models is tiny now.",
    },
    {
        "start": 18.0,
        "end": 26.0,
        "speaker": "Tom",
        "text": "And prices keep falling, which changes who can build.",
    },
    {"start": 26.0, "end": 34.0, "speaker": "Maya", "text": "So what still stops a newcomer?"},
    {
        "start": 34.0,
        "end": 45.0,
        "speaker": "Tom",
        "text": "Chips. Access to accelerators is the real moat.",
    },
    {
        "start": 45.0,
        "end": 60.0,
        "speaker": "Maya",
        "text": "Thanks for listening, see you next week.",
    },
]


def make_story(audio_url):
    source = make_source(name="Signal & Noise", site_url="https://signal.example.org/")
    article = make_article(
        source=source,
        title="Open-weight models close the gap, and the price war begins",
        slug="open-weight-models-close-the-gap",
        topic="ai",
        score=8.6,
        tags=("open-source", "llm", "chips"),
        duration_seconds=AUDIO_SECONDS,
        audio_url=audio_url,
        audio_type="audio/ogg",
        original_url="https://signal.example.org/episodes/118",
        transcript=TRANSCRIPT,
        digest_languages=("en", "fr"),
        tldr="Open-weight AI models now rival closed ones at a fraction of the price; "
        "access to chips, not ideas, is what still separates the leaders.",
    )
    for digest in article.digests.all():
        digest.key_points.all().delete()
        if digest.language == "fr":
            digest.tldr = (
                "Les modèles d’IA ouverts rivalisent désormais avec les modèles fermés pour une "
                "fraction du prix ; l’accès aux puces reste ce qui distingue les leaders."
            )
        digest.conclusion = (
            "Cheaper, open models widen who can build with AI; the fight moves to hardware."
        )
        digest.score = Decimal("8.6")
        digest.score_parts = {"substance": 8.5, "novelty": 9, "clarity": 8, "relevance": 9}
        digest.save()
        for order, (heading, body, start) in enumerate(KEY_POINTS):
            KeyPoint.objects.create(
                digest=digest, order=order, heading=heading, body=body, start_seconds=start
            )
    make_article(
        title="Inside the accelerator shortage",
        topic="ai",
        tags=("chips", "llm"),
        score=7.9,
        tldr="Why everyone waits for the same chips, and what the queue costs.",
    )
    make_article(
        title="Stablecoins after the new rules",
        topic="crypto",
        score=7.2,
        source=make_source(name="Block by Block", kind=Source.Kind.PODCAST),
        tldr="What the rules change for issuers, exchanges and people holding them.",
    )
    return article


# --- the tests -------------------------------------------------------------------------------


def test_today_to_article_seek_language_and_dark_mode(live_server, open_page, audio_url):
    article = make_story(audio_url)
    tab = open_page()
    page = tab.page

    tab.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "today-desktop")
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(f"**/articles/{article.slug}/")
    assert page.locator("h1").inner_text() == article.title

    # The player is on the enclosure; a key point seeks it.
    page.wait_for_function("document.querySelector('audio').readyState >= 1")
    before = page.evaluate("document.querySelector('audio').currentTime")
    assert before < 1
    page.locator(".key-point a.seek").nth(1).click()
    page.wait_for_function(
        "Math.abs(document.querySelector('audio').currentTime - 18) < 3", timeout=10_000
    )
    assert page.evaluate("location.hash") == "#t=18"
    # While it plays, the transcript line being heard is highlighted.
    page.wait_for_selector(".line.is-current", state="attached")
    current = page.locator(".line.is-current").first.get_attribute("data-start")
    assert float(current) in (12.0, 18.0)

    # The transcript's own timestamps seek too.
    page.locator("details.transcript summary").click()
    page.locator('.line a.seek[data-seek="34.0"]').click()
    page.wait_for_function(
        "Math.abs(document.querySelector('audio').currentTime - 34) < 3", timeout=10_000
    )
    page.evaluate("document.querySelector('audio').pause()")

    # Playback speed: changed, applied, remembered after a reload.
    page.select_option("[data-speed]", "1.5")
    assert page.evaluate("document.querySelector('audio').playbackRate") == 1.5
    page.reload()
    page.wait_for_load_state("load")
    assert page.evaluate("document.querySelector('audio').playbackRate") == 1.5
    assert page.locator("[data-speed]").input_value() == "1.5"

    # Score parts on demand.
    assert not page.locator(".score-parts").is_visible()
    page.locator(".score-details summary").click()
    assert page.locator(".score-parts").is_visible()
    page.locator(".score-details summary").click()

    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "article-player-desktop", full_page=False)
    screenshot(page, "article-player-desktop-full")

    # Switch to French: same article, French interface and digest.
    page.locator('form.language-form button[value="fr"]').click()
    page.wait_for_url(f"**/fr/articles/{article.slug}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == article.title
    assert "Points clés" in page.content()
    assert "Les modèles d’IA ouverts" in page.content()
    screenshot(page, "article-fr-desktop")
    page.locator('form.language-form button[value="en"]').click()
    page.wait_for_url(f"**/articles/{article.slug}/")
    assert page.locator("html").get_attribute("lang") == "en"

    # Dark mode: follows the toggle, and is remembered.
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    toggle = page.locator("[data-theme-toggle]")
    # It names what a press does: "Dark mode" while the page is light.
    assert toggle.is_visible() and toggle.inner_text().strip() == "Dark mode"
    toggle.click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert toggle.inner_text().strip() == "Light mode"
    dark = page.evaluate(background)
    assert dark != light and dark == "rgb(17, 19, 21)"
    page.reload()
    page.wait_for_load_state("load")
    assert page.evaluate(background) == dark
    screenshot(page, "article-dark-desktop", full_page=False)
    page.locator("[data-theme-toggle]").click()
    assert page.evaluate(background) == light

    tab.assert_clean()


def test_dark_mode_follows_the_system(live_server, browser, audio_url):
    make_story(audio_url)
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == (
            "rgb(17, 19, 21)"
        )
        assert page.locator("[data-theme-toggle]").inner_text().strip() == "Light mode"
    finally:
        context.close()


def test_works_without_javascript(live_server, open_page, audio_url):
    article = make_story(audio_url)
    tab = open_page(javascript=False)
    page = tab.page
    tab.goto(f"{live_server.url}/articles/{article.slug}/")
    # No script: the toggle and speed menu stay hidden, the links still work.
    assert not page.locator("[data-theme-toggle]").is_visible()
    assert not page.locator("[data-speed-control]").is_visible()
    page.locator(".key-point a.seek").nth(2).click()
    page.wait_for_url(f"**/articles/{article.slug}/?t=34#player")
    assert page.locator("audio").get_attribute("src") == f"{audio_url}#t=34"
    page.locator('form.language-form button[value="fr"]').click()
    page.wait_for_url(f"**/fr/articles/{article.slug}/?t=34")
    assert page.locator("html").get_attribute("lang") == "fr"


@pytest.mark.parametrize(
    ("name", "path", "status"),
    [
        ("today", "/", 200),
        ("article", "/articles/open-weight-models-close-the-gap/", 200),
        ("topics", "/topics/", 200),
        ("topic-ai", "/topics/ai/", 200),
        ("videos", "/videos/", 200),
        ("archives", "/archives/", 200),
        ("today-fr", "/fr/", 200),
        ("not-found", "/no-such-page/", 404),
    ],
)
def test_pages_at_phone_and_desktop_widths(live_server, open_page, audio_url, name, path, status):
    make_story(audio_url)
    for label, viewport, mobile in [("phone", PHONE, True), ("desktop", DESKTOP, False)]:
        tab = open_page(viewport=viewport, mobile=mobile)
        response = tab.goto(live_server.url + path, expect_404=status == 404)
        assert response.status == status
        page = tab.page
        # Landmarks and one main heading on every page.
        for landmark in ["header", "nav", "main", "footer"]:
            assert page.locator(landmark).count() >= 1, landmark
        assert page.locator("h1").count() == 1
        # Nothing wider than the screen (the navigation wraps).
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        # Images carry alt text (decorative ones an empty one).
        assert page.locator("img:not([alt])").count() == 0
        screenshot(page, f"{name}-{label}")
        # Keyboard users see where they are.
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        tab.assert_clean()
