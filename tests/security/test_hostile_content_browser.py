"""Hostile content in a real browser: Debian's Chromium, driven by Playwright.

The corpus of hostile.py (every payload calls alert()) is served by the live server;
the browser opens the reader pages and the editors' admin pages that show it. No
dialog may open, and the DOM the browser built may hold no event-handler attribute,
javascript: URL, or <script>/<style> element of ours. The context bypasses the
Content-Security-Policy: the CSP would block an injected inline script on reader
pages anyway, and this test is about escaping, the first line of defence.
"""

import os

# Playwright's sync API runs an event loop in this thread; the test's ORM calls are
# still plain synchronous code, which Django would otherwise refuse next to a loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import json  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from tests.digests.fake_llm import FakeLLMServer, FakeResponse  # noqa: E402
from tests.security.hostile import (  # noqa: E402
    MARKER,
    build_corpus,
    hostile_llm_answer,
    payload,
)

pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    # The migrated topics, which an earlier transactional test may have emptied, are
    # restored first: the corpus is filed under one of them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the browser built, after parsing: anything of ours that could run or restyle.
DOM_SCAN = """marker => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${el.tagName} ${name}=${attr.value}`);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(name)
          && value.startsWith("javascript:")) found.push(`${el.tagName} ${name}=${attr.value}`);
      if (name === "style" && attr.value.includes(marker)) found.push(`${el.tagName} style`);
    }
    if ((el.tagName === "SCRIPT" || el.tagName === "STYLE") && el.textContent.includes(marker))
      found.push(`${el.tagName}: ${el.textContent.slice(0, 80)}`);
  }
  return found;
}"""


def test_no_dialog_fires_on_pages_showing_hostile_content(live_server, browser):
    with FakeLLMServer() as llm:
        answer = json.dumps(hostile_llm_answer())
        llm.add_rule(lambda request: FakeResponse.completion(answer))
        corpus = build_corpus(llm_base_url=llm.base_url)
    editor = get_user_model().objects.create_superuser("hostile-editor", "e@example.org")
    session = Client()
    session.force_login(editor)  # the session row is committed: the live server sees it

    a, b = corpus.article, corpus.notes_article
    digest = a.digests.get(language="en")
    reader_pages = [
        a.get_absolute_url(),
        "/fr" + a.get_absolute_url(),
        b.get_absolute_url(),
        "/",
        "/topics/ai/",
        "/search/?q=alert",
        # The reflected query: the payload typed into the search box.
        "/search/?q=%3Cscript%3Ealert('xss-q')%3C/script%3E%22%3E%3Cimg+src=x+onerror=alert('xss-q')%3E",
    ]
    admin_pages = [
        "/admin/articles/article/",
        f"/admin/articles/article/{a.pk}/change/",
        f"/admin/articles/article/{b.pk}/change/",
        f"/admin/digests/digest/{digest.pk}/change/",
        f"/admin/ingestion/transcript/{a.transcript.pk}/change/",
        f"/admin/ingestion/source/{corpus.source.pk}/change/",
        "/admin/ingestion/source/",
    ]

    context = browser.new_context(bypass_csp=True, locale="en-GB")
    host = urlsplit(live_server.url).netloc
    # Nothing leaves the machine: the hostile feed's media and images point elsewhere.
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).netloc == host else route.abort()
        ),
    )
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def visit(path: str) -> None:
        response = page.goto(live_server.url + path, wait_until="load")
        assert response is not None and response.status == 200, path
        # An <img onerror> fires once its request has failed: give it the time to.
        page.wait_for_timeout(150)
        found = page.evaluate(DOM_SCAN, MARKER)
        assert not found, f"{path}: live markup in the DOM: {found}"
        assert MARKER in page.content(), f"{path}: the hostile text is not on the page"

    # The control: the same payload as live markup does fire here, so silence below
    # means escaping, not a payload that could never have run.
    page.set_content(f"<p>{payload('control')}</p>")
    page.wait_for_timeout(150)
    assert dialogs and page.evaluate(DOM_SCAN, MARKER), "the control payload did not fire"
    dialogs.clear()

    for path in reader_pages:
        visit(path)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    for path in admin_pages:
        visit(path)
    # Open the admin's collapsed fieldsets (show notes, transcript) as an editor would.
    page.goto(live_server.url + f"/admin/articles/article/{a.pk}/change/", wait_until="load")
    for summary in page.locator("fieldset.collapse summary, details summary").all():
        summary.click()
    page.wait_for_timeout(150)
    assert not page.evaluate(DOM_SCAN, MARKER)
    context.close()

    assert dialogs == [], f"dialogs opened: {dialogs}"
