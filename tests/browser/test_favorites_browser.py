"""Favorites in a real browser: Debian's Chromium driven by Playwright.

Sign up (and follow the link mailed), save an article from Today (the star updates in
place with fetch), find it on /favorites/, remove it; and an anonymous reader's star
that goes through sign-in and comes back to Today with the article saved.
"""

import os
import re
from pathlib import Path

import pytest

from favorites.models import Favorite
from testing.browser import CHROMIUM, record_errors
from tests.accounts import confirm_link, mail_tasks_in_process, mails_to  # noqa: F401
from tests.factories import make_article

# Playwright's sync API runs an event loop in this thread; the test's own database
# calls are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery-staple-42"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="apt-get install chromium"),
]


@pytest.fixture
def browser_page(live_server, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    record_errors(page, errors)
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


def article_card(page, title):
    # On Today the day's best digest is the lead, not a card; its star works the same.
    return page.locator("article.card, section.front-lead").filter(has_text=title).first


@pytest.mark.usefixtures("mail_tasks_in_process")
def test_sign_up_save_from_today_see_and_remove_on_favorites(browser_page, live_server):
    page = browser_page
    article = make_article(title="Inference is getting cheaper", topic=None)

    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("browserreader")
    page.get_by_label("E-mail address").fill("browser@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.screenshot(path=SCREENSHOTS / "favorites-signup.png", full_page=True)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{live_server.url}/accounts/signup/sent/")
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    # The link in the mail (sent in-process: Celery is eager without a broker) creates
    # the account with one more click, and signs the reader in.
    page.goto(live_server.url + confirm_link(mails_to("browser@example.org")[0]))
    page.get_by_role("button", name="Finish creating my account").click()
    page.wait_for_url(f"{live_server.url}/")

    # Today: the star saves in place, without leaving the page.
    star = article_card(page, article.title).locator("form[data-favorite-star] button")
    expect(star).to_have_attribute("aria-pressed", "false")
    expect(star).to_contain_text("Save")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(star).to_contain_text("Saved")
    assert page.url == f"{live_server.url}/"
    assert Favorite.objects.filter(user__username="browserreader", article=article).exists()
    page.screenshot(path=SCREENSHOTS / "favorites-today-saved.png", full_page=True)

    # Reloaded, Today remembers it.
    page.reload()
    star = article_card(page, article.title).locator("form[data-favorite-star] button")
    expect(star).to_have_attribute("aria-pressed", "true")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Favorites").click()
    page.wait_for_url(re.compile(r"/favorites/$"))
    item = page.locator("[data-favorite-item]").filter(has_text=article.title)
    expect(item).to_have_count(1)
    page.screenshot(path=SCREENSHOTS / "favorites-list.png", full_page=True)

    item.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("You have not saved any article yet.")).to_be_visible()
    assert not Favorite.objects.filter(article=article).exists()
    page.screenshot(path=SCREENSHOTS / "favorites-empty.png", full_page=True)


def test_anonymous_star_signs_in_and_comes_back_saved(browser_page, live_server, django_user_model):
    page = browser_page
    django_user_model.objects.create_user("returning", "returning@example.org", PASSWORD)
    article = make_article(title="Passkeys for everyone", topic=None)

    page.goto(f"{live_server.url}/")
    article_card(page, article.title).locator("form[data-favorite-star] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Username").fill("returning")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/")
    star = article_card(page, article.title).locator("form[data-favorite-star] button")
    expect(star).to_have_attribute("aria-pressed", "true")
    assert Favorite.objects.filter(user__username="returning", article=article).exists()


def test_phone_width_favorites_page(browser_page, live_server, django_user_model):
    page = browser_page
    user = django_user_model.objects.create_user("phone", "phone@example.org", PASSWORD)
    for title in ("A saved digest", "Another saved digest"):
        Favorite.objects.create(user=user, article=make_article(title=title, topic=None))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/?next=/favorites/")
    page.get_by_label("Username").fill("phone")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/favorites/$"))
    expect(page.locator("[data-favorite-item]")).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / "favorites-list-phone.png", full_page=True)
