"""/search/: the reader's search page, its filters, sorting and empty states."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.models import Source
from tests.factories import make_article, make_digest, make_source

from .test_search import HOSTILE, talk

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


def test_without_parameters_the_page_explains_the_syntax(client):
    make_article(title="Something")
    response = client.get("/search/")
    assert response.status_code == 200
    assert titles(response) == []
    assert b"<kbd>bitcoin -etf</kbd>" in response.content
    assert b'name="robots" content="noindex"' in response.content


def test_results_have_highlighted_snippets(client):
    make_article(title="Inference costs", tldr="GPU prices fall & <b>inference</b> gets cheap.")
    make_article(title="Unrelated")
    response = client.get("/search/", {"q": "cheap"})
    assert response.status_code == 200
    assert titles(response) == ["Inference costs"]
    html = response.content.decode()
    assert "<mark>cheap</mark>" in html
    assert "&lt;b&gt;inference&lt;/b&gt;" in html or "<b>" not in html
    assert "1 digest matches" in html
    assert not INLINE_SCRIPT.search(response.content)


def test_no_match_shows_an_empty_state(client):
    make_article(title="Something")
    response = client.get("/search/", {"q": "xylophone"})
    assert response.status_code == 200
    assert "No digest matches “xylophone”." in response.content.decode()


def test_the_page_is_translated(client):
    make_article(title="La sécurité", language="fr")
    response = client.get("/fr/search/", {"q": "securite"})
    assert response.status_code == 200
    assert titles(response) == ["La sécurité"]
    assert response["Content-Language"] == "fr"


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_any_query_gives_a_page(client, query):
    make_article(title="Anything")
    response = client.get("/search/", {"q": query, "sort": "relevance"})
    assert response.status_code == 200


def test_filters(client):
    video_source = make_source(name="Tube", kind=Source.Kind.YOUTUBE)
    old = timezone.now() - timedelta(days=40)
    make_article(title="Crypto audio", topic="crypto", score=9.0)
    make_article(title="AI video", source=video_source, score=5.0)
    make_article(title="Old crypto", topic="crypto", published_at=old, score=6.0)
    make_article(title="French AI", language="fr", score=8.0, tags=("llm",))

    def get(**params) -> set[str]:
        response = client.get("/search/", params)
        assert response.status_code == 200, response.context["filter"].errors
        return set(titles(response))

    assert get(topic="crypto") == {"Crypto audio", "Old crypto"}
    assert get(source=video_source.slug) == {"AI video"}
    assert get(kind="video") == {"AI video"}
    assert get(kind="audio") == {"Crypto audio", "Old crypto", "French AI"}
    assert get(min_score="8") == {"Crypto audio", "French AI"}
    day = old.date().isoformat()
    assert get(published_after=day, published_before=day) == {"Old crypto"}
    assert "Old crypto" not in get(published_after=(old + timedelta(days=1)).date().isoformat())
    assert get(language="fr") == {"French AI"}
    assert get(tag="llm") == {"French AI"}
    assert get(q="crypto", topic="crypto", min_score="7") == {"Crypto audio"}


def test_sorting(client):
    make_article(title="Best", score=9.5, published_at=timezone.now() - timedelta(days=3))
    make_article(title="Newest", score=6.0, published_at=timezone.now() - timedelta(hours=1))
    make_article(title="Unscored", score=None, published_at=timezone.now() - timedelta(days=1))
    assert titles(client.get("/search/", {"sort": "newest", "min_score": ""})) == [
        "Newest",
        "Unscored",
        "Best",
    ]
    assert titles(client.get("/search/", {"sort": "score"})) == ["Best", "Newest", "Unscored"]


def test_relevance_is_the_default_when_searching(client):
    make_article(
        title="Passing mention",
        published_at=timezone.now(),
        transcript=talk("Later we discuss bioplastics."),
    )
    make_article(title="Bioplastics", published_at=timezone.now() - timedelta(days=9))
    response = client.get("/search/", {"q": "bioplastics"})
    assert titles(response) == ["Bioplastics", "Passing mention"]
    response = client.get("/search/", {"q": "bioplastics", "sort": "newest"})
    assert titles(response) == ["Passing mention", "Bioplastics"]


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "no-such-topic"},
        {"published_after": "2025-13-45"},
        {"min_score": "eleven"},
        {"min_score": "11"},
        {"sort": "random"},
        {"kind": "hologram"},
        {"tag": "x\x00"},
    ],
)
def test_unreadable_filters_are_a_400_page(client, params):
    make_article(title="Something")
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert b"could not be read" in response.content


def test_pagination_keeps_the_query(client):
    for i in range(23):
        make_article(title=f"Graphene {i}")
    first = client.get("/search/", {"q": "graphene"})
    assert len(titles(first)) == 20
    assert b"page=2" in first.content and b"q=graphene" in first.content
    second = client.get("/search/", {"q": "graphene", "page": 2})
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert client.get("/search/", {"q": "graphene", "page": 99}).status_code == 404


def test_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for i in range(15):
        article = make_article(title=f"Qubit {i}", digest_languages=("en",))
        make_digest(article, language="fr", tldr="Les qubits.")
    with django_assert_max_num_queries(16):
        response = client.get("/search/", {"q": "qubit"})
    assert len(titles(response)) == 15
