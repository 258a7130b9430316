"""Relevance ranks a bounded window of the newest matches (SEARCH_WINDOW), on SQLite
and PostgreSQL alike; PostgreSQL picks that window from the index's own copy of each
article's publication, which a trigger keeps current whatever writes the article."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from search.backends import search_articles
from search.models import SearchDocument
from tests.factories import make_article

from .test_search import talk

pytestmark = pytest.mark.django_db


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


def test_relevance_ranks_the_newest_matches_and_says_when_there_are_more(client, settings):
    settings.SEARCH_WINDOW = 3
    make_article(title="Quantum computing, the old primer", published_at=days_ago(30))
    for day in (4, 3, 2):
        make_article(
            title=f"Roundup {day}",
            published_at=days_ago(day),
            transcript=talk("We also said a word about quantum computing."),
        )
    make_article(title="Quantum networks this week", published_at=days_ago(1))
    make_article(title="Gardening", published_at=days_ago(0.5))

    results = search_articles(Article.objects.published(), "quantum")
    assert results.window_full
    # The three newest matches, the title match first; the old primer is beyond them.
    assert [a.title for a in results] == ["Quantum networks this week", "Roundup 2", "Roundup 3"]

    response = client.get("/search/", {"q": "quantum"})
    assert titles(response) == ["Quantum networks this week", "Roundup 2", "Roundup 3"]
    html = response.content.decode()
    assert "More than 3 digests match “quantum”: only the newest 3" in html
    assert "digests match “quantum”." not in html

    # Narrowing the search brings the older article into the window.
    response = client.get("/search/", {"q": "quantum primer"})
    assert titles(response) == ["Quantum computing, the old primer"]
    assert "1 digest matches “quantum primer”." in response.content.decode()


def test_a_window_that_holds_every_match_says_nothing_more(client, settings):
    settings.SEARCH_WINDOW = 3
    for day in (3, 2, 1):
        make_article(title=f"Rust release {day}", published_at=days_ago(day))
    response = client.get("/search/", {"q": "rust"})
    assert len(titles(response)) == 3
    html = response.content.decode()
    assert "3 digests match “rust”." in html
    assert "More than" not in html


def test_unpublished_articles_take_no_place_in_the_window(client, settings):
    settings.SEARCH_WINDOW = 2
    make_article(title="Rust in the kernel", published_at=days_ago(5))
    make_article(title="Rust on embedded boards", published_at=days_ago(4))
    make_article(title="Rust draft", published_at=days_ago(1), status=Article.Status.REVIEW)
    make_article(title="Rust scheduled", published_at=timezone.now() + timedelta(days=1))
    response = client.get("/search/", {"q": "rust"})
    assert titles(response) == ["Rust on embedded boards", "Rust in the kernel"]
    assert "More than" not in response.content.decode()


def test_filters_choose_the_window_among_the_articles_they_keep(client, settings):
    settings.SEARCH_WINDOW = 2
    make_article(title="Rust for crypto wallets", topic="crypto", published_at=days_ago(9))
    for day in (3, 2, 1):
        make_article(title=f"Rust and AI {day}", topic="ai", published_at=days_ago(day))
    response = client.get("/search/", {"q": "rust", "topic": "crypto"})
    assert titles(response) == ["Rust for crypto wallets"]
    response = client.get("/api/articles/", {"q": "rust", "topic": "ai"})
    assert [a["title"] for a in response.json()["results"]] == ["Rust and AI 1", "Rust and AI 2"]


def three_new_models():
    make_article(title="A", published_at=days_ago(3), transcript=talk("The new model shipped."))
    make_article(title="B", published_at=days_ago(2), transcript=talk("A model, new and shiny."))
    make_article(title="C", published_at=days_ago(1), transcript=talk("Our new model is out."))


def test_a_phrase_finds_all_its_matches_when_they_fit_the_window(settings):
    settings.SEARCH_WINDOW = 10
    three_new_models()
    results = search_articles(Article.objects.published(), '"new model"')
    assert sorted(a.title for a in results) == ["A", "C"]
    assert not results.window_full


@pytest.mark.postgres
def test_postgresql_checks_a_phrase_in_the_newest_articles_with_its_words_and_says_so(
    client, settings, monkeypatch
):
    # Checking word order reads each document's whole tsvector: PostgreSQL does it for
    # the newest articles that have the words, PHRASE_CHECKS windows of them (SQLite's
    # FTS5 checks phrases from its index, and needs no such bound).
    from search import backends

    settings.SEARCH_WINDOW = 2
    three_new_models()
    # Two windows of two: A, B and C, all that have the words, are checked.
    results = search_articles(Article.objects.published(), '"new model"')
    assert [a.title for a in results] == ["C", "A"]
    assert not results.window_full and not results.window_unchecked
    # One window: only B and C, the newest with the words, are checked, and it is said.
    monkeypatch.setattr(backends, "PHRASE_CHECKS", 1)
    results = search_articles(Article.objects.published(), '"new model"')
    assert [a.title for a in results] == ["C"]
    assert results.window_unchecked and not results.window_full
    for title, day in (("D", 0.6), ("E", 0.5)):  # the newest two: the words apart
        make_article(title=title, published_at=days_ago(day), transcript=talk("Model: new."))
    response = client.get("/search/", {"q": '"new model"'})
    assert titles(response) == []
    html = response.content.decode()
    assert "Only the newest articles with all these words were searched" in html
    assert "No digest matches" not in html


@pytest.mark.postgres
def test_a_phrase_whose_words_exist_apart_is_not_a_misspelling():
    # PostgreSQL asks the index whether the words exist anywhere (the fallback to
    # similar titles is for words that do not); SQLite has no fallback for phrases.
    make_article(title="Kubernetes operators", transcript=talk("Operators run on kubernetes."))
    assert [a.title for a in search_articles(Article.objects.published(), "kubernetes")] == [
        "Kubernetes operators"
    ]
    # The words are all indexed: no fallback to similar titles, just no match.
    assert list(search_articles(Article.objects.published(), '"kubernetes run operators"')) == []


def test_the_index_keeps_each_articles_publication(settings):
    article = make_article(title="Edge computing", published_at=days_ago(2))
    document = SearchDocument.objects.get(pk=article.pk)
    assert document.public and document.published_at == article.published_at
    draft = make_article(title="Edge draft", status=Article.Status.REVIEW)
    assert not SearchDocument.objects.get(pk=draft.pk).public


@pytest.mark.postgres
def test_publishing_through_update_moves_the_article_in_and_out_of_search(client):
    article = make_article(title="Edge computing", published_at=days_ago(2))
    # QuerySet.update(), as the admin's bulk actions do: no signal, the trigger follows.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.HIDDEN)
    assert not SearchDocument.objects.get(pk=article.pk).public
    assert titles(client.get("/search/", {"q": "edge"})) == []
    later = days_ago(1)
    published = Article.Status.PUBLISHED
    Article.objects.filter(pk=article.pk).update(status=published, published_at=later)
    document = SearchDocument.objects.get(pk=article.pk)
    assert document.public and document.published_at == later
    assert titles(client.get("/search/", {"q": "edge"})) == ["Edge computing"]


def test_counting_is_left_to_the_window_and_the_count_is_right(client, settings):
    settings.SEARCH_WINDOW = 50
    for day in range(1, 26):
        make_article(title=f"Rust weekly {day}", published_at=days_ago(day))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "rust", "page": 2})
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(titles(response)) == 5
    html = response.content.decode()
    assert "25 digests match “rust”." in html
    assert "Page 2 of 2" in html


def test_the_filter_fields_follow_a_renamed_source(client, settings):
    settings.PAGE_CACHE = True  # the fields are cached with the pages
    article = make_article(title="Rust weekly")
    source = article.source
    response = client.get("/search/", {"q": "rust"})
    assert f">{source.name}</option>" in response.content.decode()
    source.name = "The Renamed Show"
    source.save()
    html = client.get("/search/", {"q": "anything else"}).content.decode()
    assert ">The Renamed Show</option>" in html
    # A filter set shows its value selected, whatever is cached for the plain page.
    html = client.get("/search/", {"q": "rust", "source": source.slug}).content.decode()
    assert f'<option value="{source.slug}" selected>The Renamed Show</option>' in html
    html = client.get("/fr/search/", {"q": "rust"}).content.decode()
    assert "Toutes les sources" in html
