"""The admin and the API's own pages under their Content-Security-Policy, in a real
browser (Debian's Chromium through Playwright): a CSP that blocked Django's admin
scripts or the Swagger UI would break the editors' and the developers' tools, and the
browser reports every blocked script or style on its console."""

import os

# Playwright's sync API runs an event loop in this thread; the test's ORM calls are
# still plain synchronous code, which Django would otherwise refuse next to a loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from testing.browser import record_errors  # noqa: E402
from tests.factories import make_article  # noqa: E402

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.browser]
PASSWORD = "correct-horse-battery-staple-42"


def test_admin_and_api_tools_work_under_their_policy(browser, live_server):
    get_user_model().objects.create_superuser("csp-editor", "csp@example.org", PASSWORD)
    article = make_article(title="Policy in the browser", slug="policy-in-the-browser")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    record_errors(page, errors)
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.locator("input[name=username]").fill("csp-editor")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("input[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/admin/")
        page.goto(f"{live_server.url}/admin/articles/article/")
        # The changelist's scripts run: the "select all" box ticks every row's box.
        page.locator("#action-toggle").check()
        expect(page.locator("input.action-select").first).to_be_checked()
        page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
        expect(page.locator("#id_title")).to_have_value("Policy in the browser")
        # The browsable API, and the Swagger UI drawn by its own scripts.
        page.goto(f"{live_server.url}/api/articles/")
        expect(page.locator("body")).to_contain_text("Policy in the browser")
        page.goto(f"{live_server.url}/api/docs/")
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
        expect(page.locator(".swagger-ui")).to_contain_text("/api/articles/")
    finally:
        context.close()
    assert errors == [], errors
