"""One way to say "this changed" (articles/events.py): a write that sends no model
signal still reaches the page cache and the search index, once the service that made
it sends the event; and nothing else in the apps listens to Django's model signals."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from articles import events
from articles.models import Article
from ingestion.feeds import ParsedFeed
from ingestion.services import _name_from_url, _source_update_from_feed
from search.backends import search_articles
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
APPS = ["articles", "archives", "desk", "digests", "favorites", "ingestion", "search", "topics"]
MODEL_SIGNALS = {"post_save", "post_delete", "pre_save", "pre_delete", "m2m_changed"}


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    # tests/articles/conftest.py turns it off for the views' own tests: here it is the
    # subject.
    settings.PAGE_CACHE = True


def found(query: str) -> list[str]:
    return [a.title for a in search_articles(Article.objects.published(), query)]


def test_an_update_sent_as_an_event_shows_on_the_cached_page_and_in_search():
    article = make_article(title="Morning briefing")
    page = f"/articles/{article.slug}/"
    assert b"Morning briefing" in Client().get(page).content
    assert b"Morning briefing" in Client().get(page).content  # now from the cache

    # What a service does: write with update() (no model signal), then say so.
    Article.objects.filter(pk=article.pk).update(title="Graphene at noon")
    events.articles_changed([article.pk])

    body = Client().get(page).content
    assert b"Graphene at noon" in body
    assert b"Morning briefing" not in body
    assert found("graphene") == ["Graphene at noon"]


def test_a_poll_renaming_a_source_shows_the_new_name_at_once():
    source = make_source()
    # Named after its URL, as a source added without a check is: polling renames it.
    source.name = _name_from_url(source.feed_url)
    source.save()
    article = make_article(title="Episode one", source=source)
    page = f"/articles/{article.slug}/"
    Client().get(page)
    assert source.name.encode() in Client().get(page).content

    # The poll writes the feed's title with update() and sends the events itself.
    _source_update_from_feed(source, ParsedFeed(title="Radio Quasar"))

    assert b"Radio Quasar" in Client().get(page).content
    assert found("quasar") == ["Episode one"]


def _signal_connections(path: Path) -> list[str]:
    """`<signal>.connect(...)` calls on Django's model signals in one module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    hits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        target = node.func.value
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
        if node.func.attr == "connect" and name in MODEL_SIGNALS:
            hits.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.connect")
    # @receiver(post_save, ...) decorators too.
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "receiver":
            args = [a.id for a in node.args if isinstance(a, ast.Name)]
            if MODEL_SIGNALS & set(args):
                hits.append(f"{path.relative_to(ROOT)}:{node.lineno} @receiver")
    return hits


def test_no_model_signal_receiver_outside_the_event_adapters():
    allowed = ROOT / "articles" / "events.py"
    assert _signal_connections(allowed), "the adapters are where this test looks for them"
    found_elsewhere = [
        hit
        for package in [*APPS, "newsroom", "api"]
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != allowed and "migrations" not in path.parts
        for hit in _signal_connections(path)
    ]
    assert found_elsewhere == []
