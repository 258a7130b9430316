"""Issue 16, finding 2: the public API showed a private feed's credentials and sources at
internal addresses.

Anonymous `GET /api/sources/<slug>/` answered
`"feed_url":"https://alice:s3cr3t-token@private.example.com/feed.xml?auth=PATREON_TOKEN_123"`,
and sources pointing at internal addresses were listed. Here every GET endpoint of the
URLconf (tests/security/api_endpoints.py) is crawled, anonymously and signed in, every
page and every detail: no answer may carry a feed URL, its credentials or query, an
internal address or an editor's note, and the sources' answers no inactive or failing
source.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from favorites.models import Favorite
from ingestion import services
from ingestion.feeds import parse_feed
from ingestion.models import Source
from tests.factories import make_article, make_source
from tests.network import forbid_network
from tests.security.api_endpoints import api_endpoints

pytestmark = pytest.mark.django_db

SECRET_FEED = "https://alice:s3cr3t-token@private.example.com/feed.xml?auth=PATREON_TOKEN_123"
# Before the parser stopped it, a relative link in that feed was resolved against the
# URL above and stored with its credentials: rows like these may still exist.
SECRET_LINK = "https://alice:s3cr3t-token@private.example.com/episodes/1.mp3"
INTERNAL = {
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "private": "http://10.0.0.5/shows/",
    "loopback": "http://127.0.0.1:8000/",
    "decimal loopback": "http://2130706433/",
    "hexadecimal loopback": "http://0x7f.1/",
    "IPv4 in IPv6": "http://[::ffff:10.0.0.9]/",
    "IPv6 loopback": "http://[::1]/feed",
    "named loopback": "http://localhost:8080/feed",
    "single label": "http://intranet/podcasts/",
    "multicast DNS": "http://nas.local/podcast/",
}
# What no answer may contain, whoever asks.
FORBIDDEN = [
    "s3cr3t",
    "PATREON_TOKEN",
    "alice:",
    "feed_url",
    "feeds.example.org",  # the factories' feed URLs
    "169.254.",
    "10.0.0.5",
    "127.0.0.1",
    "2130706433",
    "0x7f",
    "::ffff",
    "[::1]",
    "localhost",
    "intranet",
    "nas.local",
    "refused:",  # a failing source's last error
]
# Sources the API does not list; their published articles still name them.
HIDDEN_SOURCES = ["Retired show", "Broken feed"]

PRIVATE_FEED = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
  <title>Patrons only</title>
  <link>/</link>
  <itunes:image href="/art.jpg"/>
  <item>
    <title>Behind the scenes</title>
    <guid isPermaLink="false">bts-1</guid>
    <link>episodes/1.html</link>
    <enclosure url="episodes/1.mp3" type="audio/mpeg" length="1000"/>
    <description>Notes: &lt;a href="notes/1.html"&gt;the notes&lt;/a&gt;</description>
  </item>
</channel>
</rss>"""


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def hostile_data(reader, monkeypatch):
    """A private feed ingested as the fetcher would, sources at internal addresses, an
    inactive and a failing source, each with a published article the reader saved."""
    forbid_network(monkeypatch, lookups=True)
    patrons = services.source_create(feed_url=SECRET_FEED, kind=Source.Kind.PODCAST)
    result = services.source_poll(source=patrons, data=PRIVATE_FEED)
    assert result.error == "" and result.new_article_ids
    # Published as an editor would (the digest pipeline is not what is tested here).
    Article.objects.filter(source=patrons).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1)
    )

    legacy = make_source(
        name="Old patrons feed", feed_url=SECRET_FEED + "&v=1", site_url=SECRET_LINK
    )
    make_article(
        source=legacy, audio_url=SECRET_LINK, original_url=SECRET_LINK, image_url=SECRET_LINK
    )
    for n, url in enumerate(INTERNAL.values()):
        source = make_source(name=f"Inside {n}", feed_url=url, site_url=url)
        make_article(source=source, original_url=url, audio_url=url, image_url=url, video_url=url)
    retired = make_source(name="Retired show", active=False)
    make_article(source=retired)
    broken = make_source(
        name="Broken feed",
        consecutive_failures=3,
        last_error="refused: 10.0.0.5 is a private address",
    )
    make_article(source=broken)
    for article in Article.objects.published():
        Favorite.objects.create(user=reader, article=article)
    return {"patrons": patrons, "retired": retired, "broken": broken}


def _crawl(client: Client, *, signed_in: bool) -> dict[str, str]:
    """Every GET endpoint, every page of every list (in both languages, searching too),
    every detail of every object a list shows (with its transcript): URL -> body of
    each answer, refusals included."""
    bodies: dict[str, str] = {}

    def get(url: str, **params) -> dict | list | None:
        response = client.get(url, params)
        key = f"{url}?{json.dumps(params, sort_keys=True)}"
        bodies[key] = response.content.decode()
        # Anonymous readers are refused the favorites, and nothing else.
        allowed = {200} if signed_in or "favorite" not in url else {401, 403}
        assert response.status_code in allowed, f"{key}: {response.status_code}"
        is_json = response["Content-Type"].startswith("application/json")
        return response.json() if is_json and response.status_code == 200 else None

    endpoints = api_endpoints()
    slugs: dict[str, set[str]] = {}
    for endpoint in endpoints:
        if endpoint.arguments:
            continue
        for params in ({}, {"lang": "fr"}, {"q": "scenes"}):
            page = get(endpoint.url(), **params)
            while isinstance(page, dict) and "results" in page:
                for item in page["results"]:
                    slug = item.get("slug") or item.get("article", {}).get("slug")
                    slugs.setdefault(endpoint.view.__name__, set()).add(slug)
                if not page["next"]:
                    break
                page = get(page["next"])
            if isinstance(page, list):  # an unpaginated list
                slugs.setdefault(endpoint.view.__name__, set()).update(i["slug"] for i in page)
    for endpoint in endpoints:
        if endpoint.arguments == ("slug",):
            for slug in slugs.get(endpoint.view.__name__, ()):
                get(endpoint.url(slug=slug), include="transcript")
                get(endpoint.url(slug=slug), lang="fr")
    return bodies


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_no_api_answer_shows_credentials_internal_addresses_or_hidden_sources(
    hostile_data, reader, signed_in
):
    client = Client()
    if signed_in:
        client.force_login(reader)
    bodies = _crawl(client, signed_in=signed_in)

    # The crawl reached the articles of every kind of source, the sources and the details.
    everything = "\n".join(bodies.values())
    assert "Behind the scenes" in everything and "Inside 0" in everything
    assert any(re.match(r"/api/sources/[-\w]+/\?", url) for url in bodies)
    if signed_in:
        assert any(url.startswith("/api/favorites/") for url in bodies)
    leaks = [(word, url) for url, body in bodies.items() for word in FORBIDDEN if word in body]
    assert leaks == []
    sources = [body for url, body in bodies.items() if url.startswith("/api/sources/")]
    assert sources and not [name for name in HIDDEN_SOURCES for body in sources if name in body]


def test_sources_are_listed_with_their_public_page_only(api, hostile_data):
    listed = {s["slug"]: s for s in api.get("/api/sources/", {"page_size": 200}).json()["results"]}
    patrons = listed[hostile_data["patrons"].slug]
    assert set(patrons) == {"slug", "name", "kind", "language", "site_url", "default_topic"}
    # The feed's home page, made absolute against the feed without its credentials.
    assert patrons["site_url"] == "https://private.example.com/"
    legacy = next(s for s in listed.values() if s["name"] == "Old patrons feed")
    assert legacy["site_url"] == "https://private.example.com/episodes/1.mp3"
    inside = [s for s in listed.values() if s["name"].startswith("Inside")]
    assert len(inside) == len(INTERNAL) and {s["site_url"] for s in inside} == {""}


def test_inactive_and_failing_sources_are_not_in_the_api(api, hostile_data):
    listed = [s["slug"] for s in api.get("/api/sources/", {"page_size": 200}).json()["results"]]
    for hidden in (hostile_data["retired"], hostile_data["broken"]):
        assert hidden.slug not in listed
        assert api.get(f"/api/sources/{hidden.slug}/").status_code == 404
    # Their published articles stay readable: only the source's own entry is withdrawn.
    assert api.get("/api/articles/", {"source": hostile_data["retired"].slug}).status_code == 200


def test_legacy_links_with_credentials_lose_them_in_the_api(api, hostile_data):
    article = Article.objects.get(original_url=SECRET_LINK)
    body = api.get(f"/api/articles/{article.slug}/").json()
    clean = "https://private.example.com/episodes/1.mp3"
    assert [body[f] for f in ("original_url", "audio_url", "image_url")] == [clean] * 3


def test_a_private_feeds_credentials_stay_out_of_its_links():
    parsed = parse_feed(PRIVATE_FEED, url=SECRET_FEED)
    episode = parsed.episodes[0]
    assert parsed.link == "https://private.example.com/"
    assert episode.audio_url == "https://private.example.com/episodes/1.mp3"
    assert episode.link == "https://private.example.com/episodes/1.html"
    assert "alice" not in repr(parsed) and "s3cr3t" not in repr(parsed)


def test_stored_links_of_a_polled_private_feed_carry_no_credentials(hostile_data):
    patrons = hostile_data["patrons"]
    patrons.refresh_from_db()
    stored = [patrons.site_url]
    for article in Article.objects.filter(source=patrons):
        stored += [article.original_url, article.audio_url, article.image_url, article.guid]
    assert stored and not [url for url in stored if "s3cr3t" in url or "alice" in url]
