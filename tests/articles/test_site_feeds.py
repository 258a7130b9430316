"""RSS/Atom feeds (latest and per topic) and the sitemap."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article
from ingestion.models import Transcript
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PODCAST = "{https://podcastindex.org/namespace/1.0}"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def xml(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_latest_rss_items_carry_tldr_enclosure_and_transcripts(client, article):
    make_article(status=Article.Status.REVIEW, title="Draft")
    response = client.get("/feeds/latest.rss")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = xml(response).find("channel")
    assert channel.findtext("language") == "en"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Open models close the gap"]
    item = items[0]
    assert item.findtext("link") == "http://testserver/articles/open-models-close-the-gap/"
    assert "A short summary of what was said." in item.findtext("description")
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == article.audio_url
    assert enclosure.get("type") == "audio/mpeg"
    transcripts = {t.get("type"): t.get("url") for t in item.findall(f"{PODCAST}transcript")}
    base = "http://testserver/articles/open-models-close-the-gap/transcript"
    assert transcripts == {"text/vtt": f"{base}.vtt", "application/x-subrip": f"{base}.srt"}
    assert {c.text for c in item.findall("category")} >= {"AI", "llm", "open-source"}


def test_french_feed_carries_french_tldr_and_urls(client, article):
    article.digests.filter(language="fr").update(tldr="Résumé en français.")
    channel = xml(client.get("/fr/feeds/latest.rss")).find("channel")
    assert channel.findtext("language") == "fr"
    item = channel.find("item")
    assert "Résumé en français." in item.findtext("description")
    assert item.findtext("link") == "http://testserver/fr/articles/open-models-close-the-gap/"
    assert "IA" in {c.text for c in item.findall("category")}


def test_items_without_a_timed_transcript_or_audio_leave_those_out(client):
    article = make_article(audio_url="", video_id="dQw4w9WgXcQ")
    Transcript.objects.filter(article=article).update(origin=Transcript.Origin.DESCRIPTION)
    item = xml(client.get("/feeds/latest.rss")).find("channel/item")
    assert item.find("enclosure") is None
    assert item.find(f"{PODCAST}transcript") is None


def test_latest_atom(client, article):
    response = client.get("/feeds/latest.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    entry = xml(response).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Open models close the gap"
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert links["enclosure"] == article.audio_url
    assert "A short summary" in entry.findtext(f"{ATOM}summary")
    assert len(entry.findall(f"{PODCAST}transcript")) == 2


def test_latest_feed_is_newest_first_and_bounded(client):
    now = timezone.now()
    for i in range(35):
        make_article(title=f"Item {i}", published_at=now - timedelta(hours=i))
    titles = [i.findtext("title") for i in xml(client.get("/feeds/latest.rss")).iter("item")]
    assert len(titles) == 30 and titles[0] == "Item 0" and titles[-1] == "Item 29"


def test_topic_feed_has_only_that_topic(client):
    make_article(title="About bitcoin", topic="crypto")
    make_article(title="About models", topic="ai")
    for path in ["/topics/crypto/feed.rss", "/topics/crypto/feed.atom"]:
        body = client.get(path).content.decode()
        assert "About bitcoin" in body and "About models" not in body
    channel = xml(client.get("/topics/crypto/feed.rss")).find("channel")
    assert channel.findtext("title") == "newsroom: Crypto"
    assert channel.findtext("link") == "http://testserver/topics/crypto/"


def test_unknown_topic_feed_is_404(client):
    assert client.get("/topics/nope/feed.rss").status_code == 404
    assert client.get("/topics/nope/feed.atom").status_code == 404


def test_empty_feeds_are_valid(client):
    assert xml(client.get("/feeds/latest.rss")).find("channel/item") is None
    assert xml(client.get("/topics/science/feed.rss")).find("channel/item") is None


def test_feed_titles_are_escaped_xml(client):
    make_article(title="Bits & <bytes>")
    body = client.get("/feeds/latest.rss").content
    ElementTree.fromstring(body)  # well-formed
    assert b"<bytes>" not in body


def sitemap_locations(client) -> tuple[set[str], list]:
    """Every address the sitemap index leads to, and the <url> elements listing them."""
    index = xml(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = []
    for section in index.iter(f"{SITEMAP}loc"):
        response = client.get(section.text.removeprefix("http://testserver"))
        assert response.status_code == 200, section.text
        urls += list(xml(response).iter(f"{SITEMAP}url"))
    return {url.findtext(f"{SITEMAP}loc") for url in urls}, urls


def test_sitemap_lists_pages_topics_and_articles_in_both_languages(client, article):
    draft = make_article(status=Article.Status.REVIEW)
    locations, urls = sitemap_locations(client)
    base = "http://testserver"
    for path in ["/", "/topics/", "/videos/", "/archives/", "/topics/crypto/"]:
        assert base + path in locations and base + "/fr" + path in locations
    assert base + article.get_absolute_url() in locations
    assert base + "/fr" + article.get_absolute_url() in locations
    assert base + draft.get_absolute_url() not in locations
    alternates = [link.get("hreflang") for url in urls for link in url.iter(f"{XHTML}link")]
    assert {"en", "fr", "x-default"} <= set(alternates)


def test_the_sitemap_index_pages_the_articles(client, settings, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 4)  # addresses: two articles a page
    made = [make_article(title=f"Story {n}") for n in range(5)]
    index = xml(client.get("/sitemap.xml"))
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert sum("sitemap-articles.xml" in section for section in sections) == 3
    locations, _ = sitemap_locations(client)
    for article in made:
        assert "http://testserver" + article.get_absolute_url() in locations
        assert "http://testserver/fr" + article.get_absolute_url() in locations
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_french_sitemap_url_does_not_exist(client):
    # One sitemap for both languages, at the root.
    assert client.get("/fr/sitemap.xml").status_code == 404
