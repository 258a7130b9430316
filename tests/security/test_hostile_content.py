"""Hostile content never becomes live markup: on reader pages, feeds, downloads, the API
and the admin.

The corpus (hostile.py) is ingested once for this module through the real paths: a
feed given to source_poll, a JSON transcript given to transcript_store, show notes
made into a transcript, a digest written with markup, and one asked of the LLM
backend (a fake OpenAI-compatible server on 127.0.0.1 that answers with markup).
Every page that shows it is parsed as a browser would tokenise it; no <script>,
<style>, on* attribute, javascript: URL or CSS expression of ours may come out, and
the hostile text must still be there, shown as text.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from digests.models import Digest
from favorites import services as favorite_services
from ingestion.models import Transcript
from tests.digests.fake_llm import FakeLLMServer, FakeResponse
from tests.security.hostile import (
    MARKER,
    assert_inert,
    build_corpus,
    hostile_llm_answer,
    live_markup,
    payload,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """Ingested once for the module, inside a transaction rolled back at its end; each
    test runs in a savepoint within it (pytest-django's `db`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with FakeLLMServer() as llm:
            answer = json.dumps(hostile_llm_answer())
            llm.add_rule(lambda request: FakeResponse.completion(answer))
            built = build_corpus(llm_base_url=llm.base_url)
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        built.reader = users.create_user("hostile-reader", "r@example.org")
        built.editor = users.create_superuser("hostile-editor", "e@example.org")
        favorite_services.favorite_add(user=built.reader, article=built.article)
        favorite_services.favorite_add(user=built.reader, article=built.notes_article)
        built.feed_token = favorite_services.feed_token_regenerate(user=built.reader).token
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def reader_client(corpus):
    client = Client()
    client.force_login(corpus.reader)
    return client


@pytest.fixture
def editor_client(corpus):
    client = Client()
    client.force_login(corpus.editor)
    return client


def get_ok(client: Client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response


def test_the_checker_sees_live_markup_and_passes_escaped_text():
    # The control for every page check below: the payload as markup is caught, each
    # kind of injection by name; the same payload escaped is text.
    kinds = " ".join(finding.what for finding in live_markup(payload("control")))
    for kind in ("<script>", "onerror", "script URL", "<style>", "injected CSS", "onload"):
        assert kind in kinds
    assert live_markup(escape(payload("control"))) == []


# --- Ingestion did its part -----------------------------------------------------------------


def test_ingestion_keeps_hostile_text_as_text_and_drops_script_urls(corpus):
    article, notes = corpus.article, corpus.notes_article
    # Titles and tags are plain text in the database, markup included: escaping is the
    # pages' job, and the tests below prove they do it.
    assert article.title == payload("title")
    assert corpus.source.name == payload("source")[:200]  # names are cut at 200
    assert {t.name for t in article.tags.all()} >= {f"\"><img src=x onerror=alert('{MARKER}tag')>"}
    # Show notes are sanitised HTML: no script, handler, style or script URL survives.
    for html in (article.description_html, notes.description_html):
        assert not live_markup(html, marker="")
        assert "<script" not in html and "<style" not in html and "<img" not in html
    # javascript: links in the feed are dropped, not stored.
    assert notes.original_url == "" and notes.image_url == ""
    assert not corpus.source.site_url.lower().startswith("javascript")
    # The show notes became the transcript, their escaped markup now plain text.
    assert notes.transcript.origin == Transcript.Origin.DESCRIPTION
    assert payload("notes") in notes.transcript.text


def test_an_llm_answer_full_of_markup_is_stored_as_plain_text(corpus):
    digests = list(corpus.notes_article.digests.filter(status=Digest.Status.READY))
    assert {d.language for d in digests} == {"en", "fr"}
    for digest in digests:
        points = list(digest.key_points.all())
        texts = (
            [digest.tldr, digest.conclusion]
            + [p.heading for p in points]
            + [p.body for p in points]
        )
        for text in texts:
            # No tag survives (a stray '>' of an attribute breakout is only text); the
            # text of the markup stays, and what a <script> held is dropped entirely.
            assert "<" not in text, text
            assert "alert(" not in text, text
        assert "link-xss-llm-tldr" in digest.tldr
    tags = [t.name for t in corpus.notes_article.tags.all()]
    assert tags and all("<" not in t for t in tags), tags


# --- Reader pages -----------------------------------------------------------------------------

ARTICLE_FIELDS = (
    "title",
    "source",
    "tldr",
    "tldr-line2",
    "heading",
    "body",
    "conclusion",
    "speaker",
    "segment",
    "tag",
    "tag2",
)


def reader_pages(corpus) -> list[tuple[str, tuple[str, ...]]]:
    """(URL, fields that page must show) for every reader page the corpus is on."""
    a, b = corpus.article, corpus.notes_article
    day = a.published_at
    return [
        ("/", ("title", "title2", "source")),
        ("/fr/", ("title", "title2", "source")),
        ("/topics/ai/", ("title", "title2", "source")),
        ("/archives/", ("title",)),
        (f"/archives/{day:%Y}/", ("title",)),
        (f"/archives/{day:%Y}/{day:%m}/", ("title", "source")),
        (f"/archives/{day:%Y}/{day:%m}/{day:%d}/", ("title",)),
        (a.get_absolute_url(), ARTICLE_FIELDS),
        ("/fr" + a.get_absolute_url(), ARTICLE_FIELDS),
        (b.get_absolute_url(), ("title2", "source", "notes")),
        ("/search/?q=alert", ("title", "title2")),
        ("/search/?q=hosts+release", ("title2",)),
        # The query itself, reflected in the search box, the title and the message.
        ("/search/?q=" + payload("q").replace("#", "%23").replace("&", "%26"), ("q",)),
    ]


def test_reader_pages_show_hostile_text_as_text(corpus, client):
    for url, shown in reader_pages(corpus):
        response = client.get(url)
        assert response.status_code in (200, 400), f"{url}: {response.status_code}"
        assert_inert(response.content.decode(), where=url, shown=shown)


def test_favorites_page_and_private_feed(corpus, reader_client):
    page = get_ok(reader_client, "/favorites/")
    assert_inert(page.content.decode(), where="/favorites/", shown=("title", "title2", "source"))
    feed = get_ok(Client(), f"/favorites/feed/{corpus.feed_token}.rss")
    assert_feed_inert(feed, where="favorites feed")


# --- Feeds ---------------------------------------------------------------------------------


def assert_feed_inert(response, *, where: str) -> None:
    """Well-formed XML whose text fields are text and whose HTML fields are inert HTML.

    Titles and categories are plain text in RSS and Atom (Django escapes them once;
    a feed reader shows them as text). Descriptions and Atom summaries are HTML, which
    a feed reader renders: that HTML must carry no live markup.
    """
    root = ElementTree.fromstring(response.content)
    items = root.findall("./channel/item") or root.findall(f"{ATOM}entry")
    assert items, f"{where}: no items"
    seen_titles = 0
    for item in items:
        for element in item.iter():
            tag = element.tag.split("}")[-1]
            if tag in {"title", "category"}:
                assert len(element) == 0, f"{where}: markup inside <{tag}>"
                seen_titles += MARKER in (element.text or "")
            elif tag in {"description", "summary", "content"}:
                kind = element.get("type", "html")
                if kind == "text":
                    continue
                findings = live_markup(element.text or "")
                assert not findings, f"{where}: live markup in <{tag}>: {findings}"
            elif tag == "link" and element.get("href"):
                assert not element.get("href").lower().startswith("javascript"), where
            elif tag == "link":
                assert not (element.text or "").lower().startswith("javascript"), where
    assert seen_titles, f"{where}: the hostile titles are not in the feed"


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/latest.rss",
        "/feeds/latest.atom",
        "/fr/feeds/latest.rss",
        "/topics/ai/feed.rss",
        "/topics/ai/feed.atom",
    ],
)
def test_feeds_carry_hostile_text_as_text(corpus, client, url):
    response = get_ok(client, url)
    assert "xml" in response["Content-Type"]
    assert_feed_inert(response, where=url)


# --- Transcript downloads ------------------------------------------------------------------


def test_transcript_downloads_are_subtitles_not_html(corpus, client):
    slug = corpus.article.slug
    vtt = get_ok(client, reverse("article_transcript_vtt", kwargs={"slug": slug}))
    assert vtt["Content-Type"] == "text/vtt; charset=utf-8"
    assert vtt["X-Content-Type-Options"] == "nosniff"
    body = vtt.content.decode()
    assert body.startswith("WEBVTT")
    # The only tag a cue may hold is our voice tag; everything else is escaped.
    assert re.findall(r"<(?!v )", body) == [], body
    assert "&lt;script&gt;alert('xss-segment')&lt;/script&gt;" in body
    assert "<v &lt;script&gt;" in body  # the hostile speaker, escaped inside its voice tag

    srt = get_ok(client, reverse("article_transcript_srt", kwargs={"slug": slug}))
    assert srt["Content-Type"] == "application/x-subrip; charset=utf-8"
    assert srt["X-Content-Type-Options"] == "nosniff"
    assert "<" not in srt.content.decode()
    assert "alert('xss-segment')" in srt.content.decode()


# --- The API -----------------------------------------------------------------------------


def test_api_serves_hostile_text_as_json_data(corpus, client, reader_client):
    slug = corpus.article.slug
    for c, url in [
        (client, "/api/articles/"),
        (client, f"/api/articles/{slug}/?include=transcript"),
        (client, "/api/articles/?q=alert"),
        (client, "/api/sources/"),
        (reader_client, "/api/favorites/"),
    ]:
        response = get_ok(c, url, HTTP_ACCEPT="application/json")
        assert response["Content-Type"] == "application/json", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert MARKER in json.dumps(response.json()), url
    detail = client.get(f"/api/articles/{slug}/?include=transcript", HTTP_ACCEPT="application/json")
    data = detail.json()
    # JSON carries the text exactly; it is for programs, which must escape it themselves.
    assert data["title"] == payload("title")
    assert data["digest"]["key_points"][0]["quote"] == payload("quote")
    # The snippet field is HTML by contract: our <mark> tags around escaped text.
    listing = client.get("/api/articles/?q=alert", HTTP_ACCEPT="application/json").json()
    snippets = [r.get("snippet") or "" for r in listing["results"]]
    assert any("<mark>" in s for s in snippets), snippets
    for snippet in snippets:
        assert not live_markup(snippet), snippet
        assert "<script" not in snippet and "<img" not in snippet


def test_browsable_api_escapes_hostile_text(corpus, client):
    slug = corpus.article.slug
    detail = f"/api/articles/{slug}/?format=api&include=transcript"
    for url in ("/api/articles/?format=api", detail):
        response = get_ok(client, url)
        assert response["Content-Type"].startswith("text/html")
        assert_inert(response.content.decode(), where=url, shown=("title",))


# --- The admin --------------------------------------------------------------------------


def admin_pages(corpus) -> list[tuple[str, tuple[str, ...]]]:
    a, b = corpus.article, corpus.notes_article
    digest = a.digests.get(language="en")
    llm_digest = b.digests.get(language="en")
    return [
        # Tags are on the change page, not in the list (readable at 1,280 px).
        ("/admin/articles/article/", ("title", "title2", "source")),
        ("/admin/", ()),  # the review queue
        (a.get_absolute_url(), ("title", "source", "tag")),  # with the editor's desk
        ("/admin/articles/article/?q=" + "xss", ("title",)),
        (f"/admin/articles/article/{a.pk}/change/", ("title", "speaker", "segment")),
        (f"/admin/articles/article/{b.pk}/change/", ("title2", "notes")),
        ("/admin/digests/digest/", ("title",)),
        (f"/admin/digests/digest/{digest.pk}/change/", DIGEST_ADMIN_FIELDS),
        (f"/admin/digests/digest/{llm_digest.pk}/change/", ("title2",)),
        ("/admin/ingestion/source/", ("source",)),
        (f"/admin/ingestion/source/{corpus.source.pk}/change/", ("source",)),
        ("/admin/ingestion/transcript/", ("title",)),
        (f"/admin/ingestion/transcript/{a.transcript.pk}/change/", ("title", "segment")),
        (f"/admin/ingestion/transcript/{b.transcript.pk}/change/", ("notes",)),
        ("/admin/ingestion/ingestionlog/", ("source",)),
        ("/admin/favorites/favorite/", ("title",)),
    ]


DIGEST_ADMIN_FIELDS = ("title", "tldr", "heading", "body", "quote", "conclusion")


def test_admin_pages_show_hostile_text_as_text(corpus, editor_client):
    for url, shown in admin_pages(corpus):
        response = get_ok(editor_client, url)
        assert_inert(response.content.decode(), where=url, shown=shown)
