"""/api/articles/, /api/topics/, /api/sources/: filters, search, pagination, language,
conditional GET, throttling."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.throttling import AnonRateThrottle

from articles.models import Article
from ingestion.models import Source
from tests.factories import make_article, make_digest, make_source

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_list_shows_published_articles_newest_first(api):
    older = make_article(title="Older", published_at=timezone.now() - timedelta(days=2))
    newer = make_article(title="Newer", published_at=timezone.now() - timedelta(days=1))
    make_article(title="Draft", status=Article.Status.REVIEW)
    make_article(title="Future", published_at=timezone.now() + timedelta(days=1))
    response = api.get("/api/articles/")
    assert slugs(response) == [newer.slug, older.slug]
    item = response.json()["results"][0]
    assert item["title"] == "Newer"
    assert item["url"] == f"http://testserver/api/articles/{newer.slug}/"
    assert item["html_url"] == f"http://testserver/articles/{newer.slug}/"
    assert item["source"]["slug"] == newer.source.slug
    assert item["topic"] == {"slug": "ai", "name": "AI"}
    assert item["score"] == 7.5
    assert item["tags"] == ["testing"]
    assert item["rank"] is None and item["snippet"] is None


def test_filters(api):
    tube = make_source(name="Tube", kind=Source.Kind.YOUTUBE)
    old = timezone.now() - timedelta(days=40)
    crypto = make_article(title="Crypto audio", topic="crypto", score=9.0)
    video = make_article(title="AI video", source=tube, score=5.0)
    old_one = make_article(title="Old crypto", topic="crypto", published_at=old, score=6.0)
    french = make_article(title="French AI", language="fr", score=8.0, tags=("llm",))

    def get(**params) -> set[str]:
        return set(slugs(api.get("/api/articles/", params)))

    assert get(topic="crypto") == {crypto.slug, old_one.slug}
    assert get(source=tube.slug) == {video.slug}
    assert get(kind="video") == {video.slug}
    assert get(kind="audio") == {crypto.slug, old_one.slug, french.slug}
    assert get(min_score=8) == {crypto.slug, french.slug}
    day = old.date().isoformat()
    assert get(published_after=day, published_before=day) == {old_one.slug}
    assert get(language="fr") == {french.slug}
    assert get(tag="llm") == {french.slug}
    assert get(q="crypto", min_score=7) == {crypto.slug}


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "nope"},
        {"source": "nope"},
        {"kind": "vinyl"},
        {"min_score": "11"},
        {"min_score": "NaN"},
        {"published_after": "2025-02-30"},
        {"sort": "random"},
        {"lang": "de"},
    ],
)
def test_unreadable_parameters_are_a_400(api, params):
    make_article()
    response = api.get("/api/articles/", params)
    assert response.status_code == 400
    assert set(response.json()) == {name.removesuffix("_after") for name in params}


def test_search_ranks_and_highlights(api):
    transcript = [{"start": 0, "end": 5, "speaker": "", "text": "Quantum sensors came up."}]
    mention = make_article(title="Roundup", transcript=transcript)
    title = make_article(title="Quantum sensors explained")
    make_article(title="Unrelated")
    response = api.get("/api/articles/", {"q": "quantum sensors"})
    assert slugs(response) == [title.slug, mention.slug]
    first, second = response.json()["results"]
    assert first["rank"] > second["rank"]
    assert "<mark>" in second["snippet"]


@pytest.mark.parametrize("query", ['"', "-", "or", "' OR 1=1 --", "x" * 5000, "\x00", "🤖"])
def test_any_query_is_answered(api, query):
    make_article()
    assert api.get("/api/articles/", {"q": query}).status_code == 200


def test_sort_by_score(api):
    best = make_article(score=9.5, published_at=timezone.now() - timedelta(days=3))
    newest = make_article(score=6.0, published_at=timezone.now())
    unscored = make_article(score=None, published_at=timezone.now() - timedelta(days=1))
    assert slugs(api.get("/api/articles/", {"sort": "score"})) == [
        best.slug,
        newest.slug,
        unscored.slug,
    ]


@pytest.mark.parametrize("sort", ["newest", "score", "relevance"])
def test_cursor_pagination_walks_every_article_once(api, sort):
    for i in range(25):
        make_article(title=f"Photonics {i}", score=[None, 5.0, 7.5, 7.5, 9.0][i % 5])
    seen, url, pages = [], "/api/articles/", 0
    params = {"page_size": 10, "sort": sort, "q": "photonics"}
    while url:
        response = api.get(url, params if pages == 0 else None)
        assert response.status_code == 200
        seen += [item["slug"] for item in response.json()["results"]]
        url, pages = response.json()["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 25


def test_page_size_is_capped(api):
    for _ in range(3):
        make_article()
    response = api.get("/api/articles/", {"page_size": 100000})
    assert response.status_code == 200 and len(response.json()["results"]) == 3


@pytest.mark.parametrize("cursor", ["garbage", "cD1ub3QtYS1kYXRl", "bz0xJnA9eHl6"])
def test_a_tampered_cursor_is_a_404(api, cursor):
    make_article()
    assert api.get("/api/articles/", {"cursor": cursor}).status_code == 404
    assert api.get("/api/articles/", {"cursor": cursor, "sort": "score"}).status_code == 404


def test_detail_in_the_requested_language(api):
    article = make_article(title="Bilingual", digest_languages=("en",), tldr="In English.")
    make_digest(article, language="fr", tldr="En français.")

    english = api.get(f"/api/articles/{article.slug}/").json()
    assert english["digest"]["language"] == "en"
    assert english["digest"]["tldr"] == "In English."
    assert english["digest_languages"] == ["en", "fr"]

    french = api.get(f"/api/articles/{article.slug}/", {"lang": "fr"})
    assert french["Content-Language"] == "fr"
    assert french.json()["digest"]["tldr"] == "En français."
    assert french.json()["topic"]["name"] == "IA"
    assert french.json()["html_url"] == f"http://testserver/fr/articles/{article.slug}/"

    negotiated = api.get(f"/api/articles/{article.slug}/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert negotiated.json()["digest"]["tldr"] == "En français."
    assert "Accept-Language" in negotiated["Vary"]


def test_detail_falls_back_to_the_digest_there_is(api):
    article = make_article(digest_languages=("en",), tldr="Only English.")
    body = api.get(f"/api/articles/{article.slug}/", {"lang": "fr"}).json()
    assert body["digest"]["language"] == "en" and body["tldr"] == "Only English."


def test_key_points_have_start_seconds_and_links(api):
    article = make_article()
    points = api.get(f"/api/articles/{article.slug}/").json()["digest"]["key_points"]
    assert [p["start_seconds"] for p in points] == [4.0, 8.0, 12.0]
    assert points[0]["html_url"] == f"http://testserver/articles/{article.slug}/?t=4"
    assert points[0]["heading"] == "Point 1"


def test_transcript_only_on_request(api):
    article = make_article()
    assert api.get(f"/api/articles/{article.slug}/").json()["transcript"] is None
    body = api.get(f"/api/articles/{article.slug}/", {"include": "transcript"}).json()
    segments = body["transcript"]["segments"]
    assert segments[1] == {
        "start": 4.0,
        "end": 12.5,
        "speaker": "Guest",
        "text": "We shipped the new model.",
    }


def test_unpublished_articles_are_404(api):
    draft = make_article(status=Article.Status.REVIEW)
    assert api.get(f"/api/articles/{draft.slug}/").status_code == 404
    assert api.get("/api/articles/no-such-slug/").status_code == 404


def test_etag_gives_304_until_the_article_changes(api):
    article = make_article()
    url = f"/api/articles/{article.slug}/"
    first = api.get(url)
    etag = first["ETag"]
    assert etag and first["Last-Modified"]
    assert "max-age=60" in first["Cache-Control"]

    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag and not again.content

    article.title = "A new title"
    article.save()
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_last_modified_gives_304(api):
    article = make_article()
    url = f"/api/articles/{article.slug}/"
    last_modified = api.get(url)["Last-Modified"]
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date((article.updated_at - timedelta(hours=1)).timestamp())
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_lists_have_etags_too(api):
    make_article()
    for url in ["/api/articles/", "/api/topics/", "/api/sources/"]:
        etag = api.get(url)["ETag"]
        assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def test_topics_in_the_requested_language(api):
    topics = api.get("/api/topics/", {"lang": "fr"}).json()
    ai = next(t for t in topics if t["slug"] == "ai")
    assert ai["name"] == "IA" and ai["name_en"] == "AI"
    assert api.get("/api/topics/ai/").json()["name"] == "AI"


def test_sources_list_the_visible_ones(api):
    shown = make_article().source
    make_source(name="Inactive, nothing published", active=False)
    body = api.get("/api/sources/").json()
    assert [s["slug"] for s in body["results"]] == [shown.slug]
    assert "last_error" not in body["results"][0]


def test_anonymous_use_is_throttled(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    for _ in range(3):
        assert api.get("/api/topics/").status_code == 200
    response = api.get("/api/topics/")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_schema_and_docs(api):
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/articles/", "/api/articles/{slug}/", "/api/favorites/"} <= set(paths)
    names = {p["name"] for p in paths["/api/articles/"]["get"]["parameters"]}
    assert {"q", "topic", "source", "kind", "min_score", "sort", "cursor", "lang"} <= names
    docs = api.get("/api/docs/", HTTP_ACCEPT="text/html")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_the_docs_page_loads_swagger_from_this_site_not_a_cdn(api):
    from django.contrib.staticfiles import finders

    html = api.get("/api/docs/", HTTP_ACCEPT="text/html").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|png))"', html)
    assert any("swagger-ui-bundle" in asset for asset in assets), assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
