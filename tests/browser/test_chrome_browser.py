"""The page frame in a real browser: Debian's Chromium driven by Playwright.

At 390 px every section of the navigation is in sight (it wraps; nothing to scroll);
the theme toggle names what a press does and remembers the choice, in English and
French; and axe-core finds no WCAG 2.1 AA violation on the reader pages, light and
dark, English and French. axe-core's script comes from the axe-playwright-python
package (a dev dependency), never from a CDN.
"""

import os

# Playwright's sync API runs an event loop in this thread; the test's ORM calls are
# still plain synchronous code, which Django would otherwise refuse next to a loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402

from ingestion.models import Source  # noqa: E402
from testing.browser import record_errors  # noqa: E402
from tests.factories import make_article, make_source  # noqa: E402

pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("starting_topics"),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SECTIONS = {
    "en": ["Today", "Topics", "Videos", "Crypto", "Archives", "Favorites"],
    "fr": ["Aujourd’hui", "Thèmes", "Vidéos", "Crypto", "Archives", "Favoris"],
}
TOGGLE = {"en": ("Dark mode", "Light mode"), "fr": ("Mode sombre", "Mode clair")}
PREFIX = {"en": "", "fr": "/fr"}
SLUG = "phone-chips-run-models"
REPORTS = Path(settings.BASE_DIR) / "test-artifacts" / "axe"
# WCAG 2.0 and 2.1, levels A and AA: what the site promises.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# And axe's landmark and heading rules (its "best practices", not WCAG criteria): a
# second search form needs a name of its own, content sits in landmarks, one <h1>.
STRUCTURE = ["landmark-unique", "landmark-one-main", "region", "page-has-heading-one"]


@pytest.fixture
def stories(live_server):
    """An article with everything an article page shows, and enough others for the
    lists (a video, a crypto story). The audio is on this test server, which answers
    404: nothing leaves the machine."""
    article = make_article(
        title="Phone chips can now run the models of two years ago",
        slug=SLUG,
        tags=("chips", "llm"),
        digest_languages=("en", "fr"),
        audio_url=f"{live_server.url}/static/missing-episode.mp3",
        tldr="Phone chips can now run language models that needed a rack of servers two "
        "years ago, and their makers promise to double that again next year while "
        "drawing less power than a camera module, which changes what apps can promise.",
    )
    make_article(
        title="A tour of the new accelerator",
        video_url="https://video.example.org/tour.mp4",
        source=make_source(name="Chip Channel", kind=Source.Kind.YOUTUBE),
        audio_url="",
    )
    make_article(title="Stablecoins after the new rules", topic="crypto")
    return article


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(*, viewport=DESKTOP, scheme="light", javascript=True, mobile=False):
        context = browser.new_context(
            viewport=viewport,
            color_scheme=scheme,
            java_script_enabled=javascript,
            is_mobile=mobile,
            has_touch=mobile,
            locale="en-GB",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


# --- the navigation at phone width ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_section_is_in_sight_at_390_px(live_server, open_page, stories, lang, javascript):
    page = open_page(viewport=PHONE, mobile=True, javascript=javascript)
    for path in ("/", f"/articles/{SLUG}/", "/search/?q=chips"):
        page.goto(f"{live_server.url}{PREFIX[lang]}{path}")
        links = page.locator("nav.site-nav a")
        assert links.all_inner_texts() == SECTIONS[lang]
        for link in links.all():
            assert link.is_visible()
            box = link.bounding_box()
            # Wholly inside the screen: nothing cut off, nothing to scroll to.
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, box)
            assert box["height"] < 60, (path, box)  # one line, not a word per line
        menu = page.locator("nav.site-nav ul")
        assert menu.evaluate("ul => ul.scrollWidth <= ul.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # Each link goes somewhere that answers.
    page.locator("nav.site-nav a").nth(5).click()
    page.wait_for_load_state("load")
    assert "/accounts/login/" in page.url  # Favorites asks an anonymous reader to sign in


# --- the theme toggle ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_toggle_names_the_action_and_remembers_it(live_server, open_page, stories, lang):
    to_dark, to_light = TOGGLE[lang]
    page = open_page()
    errors: list[str] = []
    record_errors(page, errors, ignore=lambda text: "404" in text)
    page.goto(f"{live_server.url}{PREFIX[lang]}/")
    toggle = page.locator("[data-theme-toggle]")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    assert toggle.is_visible()
    assert toggle.inner_text().strip() == to_dark
    assert toggle.get_attribute("aria-pressed") is None

    toggle.click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert toggle.inner_text().strip() == to_light
    assert page.evaluate(background) != light
    assert page.evaluate("localStorage.getItem('newsroom:theme')") == "dark"

    # Remembered: on the next page, and after a reload, dark and "Light mode".
    page.goto(f"{live_server.url}{PREFIX[lang]}/articles/{SLUG}/")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert page.locator("[data-theme-toggle]").inner_text().strip() == to_light
    page.reload()
    assert page.locator("[data-theme-toggle]").inner_text().strip() == to_light

    page.locator("[data-theme-toggle]").click()
    assert page.locator("[data-theme-toggle]").inner_text().strip() == to_dark
    assert page.evaluate(background) == light
    assert page.evaluate("localStorage.getItem('newsroom:theme')") == "light"
    assert errors == [], errors


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_on_a_dark_system_the_toggle_offers_light(live_server, open_page, stories, lang):
    page = open_page(scheme="dark")
    page.goto(f"{live_server.url}{PREFIX[lang]}/")
    assert page.locator("[data-theme-toggle]").inner_text().strip() == TOGGLE[lang][1]
    page.locator("[data-theme-toggle]").click()
    assert page.locator("html").get_attribute("data-theme") == "light"
    assert page.locator("[data-theme-toggle]").inner_text().strip() == TOGGLE[lang][0]


# --- accessibility: axe-core ---------------------------------------------------------------------

AXE_PAGES = [
    ("today", "/"),
    ("article", f"/articles/{SLUG}/"),
    ("topics", "/topics/"),
    ("topic", "/topics/ai/"),
    ("videos", "/videos/"),
    ("archives", "/archives/"),
    ("search", "/search/?q=chips"),
    ("sign-in", "/accounts/login/"),
]


def axe_script() -> str:
    axe = pytest.importorskip("axe_playwright_python.base", reason="pip install -e '.[dev]'")
    return axe.AXE_SCRIPT


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now: the WCAG 2.1 A and AA rules, and
    STRUCTURE."""
    # Injected by the test driver, not by the page: the page's CSP has no say in it.
    page.evaluate(axe_script())
    violations = []
    for run_only in ({"type": "tag", "values": WCAG_21_AA}, {"type": "rule", "values": STRUCTURE}):
        options = json.dumps({"runOnly": run_only})
        violations += page.evaluate(f"axe.run(document, {options}).then(r => r.violations)")
    return violations


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_finds_no_wcag_21_aa_violation(live_server, open_page, stories, lang, scheme):
    page = open_page(scheme=scheme)
    found = {}
    for name, path in AXE_PAGES:
        response = page.goto(f"{live_server.url}{PREFIX[lang]}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == lang
        violations = run_axe(page)
        if violations:
            found[name] = violations
    if found:
        REPORTS.mkdir(parents=True, exist_ok=True)
        (REPORTS / f"{lang}-{scheme}.json").write_text(json.dumps(found, indent=2))
    assert not found, "\n".join(f"{name}:\n{describe(v)}" for name, v in found.items())


def test_axe_comes_from_our_own_files_and_finds_what_it_should(open_page):
    # The script is axe-core itself, from the installed package, not a CDN.
    assert axe_script().startswith("/*! axe v4.")
    # Not vacuous: a page with the faults it must catch.
    page = open_page()
    page.set_content(
        '<html><head><title>t</title></head><body><main><img src="x.png">'
        '<input type="date" name="published_after">'
        '<p style="color:#999;background:#fff">faint</p></main>'
        '<nav><a href="/">a</a></nav><nav><a href="/b">b</a></nav></body></html>'
    )
    found = {violation["id"] for violation in run_axe(page)}
    expected = {"image-alt", "label", "color-contrast", "html-has-lang", "landmark-unique"}
    assert expected <= found, found
