"""Hostile sources: every feed or transcript server that tries to hurt us is refused or bounded.

The servers run on 127.0.0.1 (allowed through FETCH_ALLOW_HOSTS, as an operator allows
a host of their own network) and misbehave for real: they send entity bombs, 100 MB,
gzip bombs, a byte a second, endless redirects, redirects into the operator's network.
For each one the poll ends within the limits, the source says what went wrong (admin:
last error, failure count, back-off, ingestion log) and a good source polled right
after is unaffected. The last test does the same through a real Celery worker.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.models import Article
from digests.models import Digest
from ingestion import feeds, fetch, services
from ingestion.models import IngestionLog, Transcript
from testing import hostile_files
from testing.http_servers import (
    MiB,
    Response,
    endless_redirects,
    gzip_bomb,
    huge_body,
    redirect,
    serve,
    trickle,
    with_content_type,
)
from testing.services import start_worker
from tests.factories import make_source
from tests.ingestion.pipeline.feeds import podcast_feed, transcript_vtt
from tests.integration.workers import flush, private_redis_url, worker_env
from tests.reliability.faults import eventually, ping, send_task, wait_for

pytestmark = pytest.mark.django_db

# Small enough that the trickling server costs the suite only a few seconds. How long
# a hostile poll takes is measured by bench/fault_timing.py; the tests check what the
# poll ends with (a slow machine is not a fault).
TOTAL_TIMEOUT = 3

GOOD_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>A well-behaved feed</title><link>http://127.0.0.1/</link><description>fine</description>
<item><title>A good episode</title><guid isPermaLink="false">good-1</guid><link>http://127.0.0.1/good-1</link>
<description>Nothing to see here.</description></item>
</channel></rss>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><guid>laugh</guid></item></channel></rss>
"""

# The entity would pull a local file (or an internal URL) into the episode's text.
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY stolen SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><title>Innocent</title>
<item><title>Leak</title><guid>leak</guid><description>&stolen;</description></item>
</channel></rss>
"""

HTML_PAGE = b"""<!doctype html><html><head><title>Welcome</title></head>
<body><h1>Our podcast</h1><p>Subscribe in your favourite app!</p></body></html>
"""


# name -> (route, a phrase the recorded error must contain)
HOSTILE_FEEDS = {
    "billion-laughs": (
        with_content_type(BILLION_LAUGHS, "application/rss+xml"),
        "refused hostile XML",
    ),
    "external-entity": (
        with_content_type(EXTERNAL_ENTITY, "application/rss+xml"),
        "refused hostile XML",
    ),
    # No Content-Length: only a limit enforced while streaming can stop it.
    "100-mb-body": (huge_body(100 * MiB, declare_length=False), "too large"),
    "gzip-bomb": (gzip_bomb(100 * MiB), "too large"),
    "one-byte-a-second": (trickle(GOOD_FEED, interval=1.0), "timed out"),
    "endless-redirects": (endless_redirects(), "redirects"),
    "redirect-to-private": (redirect("http://10.0.0.1/feed.xml"), "private address"),
    "redirect-to-metadata": (
        redirect("http://169.254.169.254/latest/meta-data/"),
        "link-local address",
    ),
    "html-instead-of-feed": (with_content_type(HTML_PAGE, "text/html"), "not a feed"),
}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.FETCH_TOTAL_TIMEOUT = TOTAL_TIMEOUT
    settings.SUMMARIZER_BACKEND = "extractive"
    settings.DIGEST_LANGUAGES = ["en"]
    # A hostile server's Retry-After must not leak into the next test on the same port.
    fetch.forget_retry_after()
    yield
    fetch.forget_retry_after()


@pytest.fixture
def server():
    with serve({"/good.xml": with_content_type(GOOD_FEED, "application/rss+xml")}) as running:
        yield running


def _assert_good_source_unaffected(server) -> None:
    good = make_source(feed_url=server.url("/good.xml"))
    result = services.source_poll(source=good)
    assert result.outcome == IngestionLog.Outcome.OK, result.error
    assert list(Article.objects.filter(source=good).values_list("guid", flat=True)) == ["good-1"]
    good.refresh_from_db()
    assert good.consecutive_failures == 0 and good.last_error == ""


@pytest.mark.parametrize("name", list(HOSTILE_FEEDS))
def test_hostile_feed_is_refused_recorded_and_harmless(server, name):
    route, phrase = HOSTILE_FEEDS[name]
    server.routes[f"/{name}"] = route
    source = make_source(feed_url=server.url(f"/{name}"), poll_interval=timedelta(minutes=30))
    before = timezone.now()

    result = services.source_poll(source=source)

    assert result.outcome == IngestionLog.Outcome.ERROR
    assert phrase in result.error
    assert "\n" not in result.error  # one readable line, not a traceback
    source.refresh_from_db()
    assert source.last_error == result.error
    assert source.consecutive_failures == 1
    # Back-off: the next try waits at least twice the interval (minus the 10% jitter).
    assert source.next_poll_at >= before + timedelta(minutes=30) * 2 * 0.9
    log = IngestionLog.objects.get(source=source)
    assert log.outcome == IngestionLog.Outcome.ERROR and log.error == result.error
    assert log.finished_at is not None
    assert not Article.objects.filter(source=source).exists()
    _assert_good_source_unaffected(server)


def test_repeated_failures_back_off_further_each_time(server):
    server.routes["/bomb"] = gzip_bomb(100 * MiB)
    source = make_source(feed_url=server.url("/bomb"), poll_interval=timedelta(minutes=30))
    delays = []
    for _ in range(3):
        started = timezone.now()
        services.source_poll(source=source)
        source.refresh_from_db()
        delays.append(source.next_poll_at - started)
    assert source.consecutive_failures == 3
    assert delays[0] < delays[1] < delays[2]
    assert IngestionLog.objects.filter(source=source, outcome="error").count() == 3


def test_invalid_utf8_is_read_not_refused(server):
    # A feed that lies about its encoding is common and harmless: the bad bytes cost
    # a few odd characters, not the whole feed.
    body = GOOD_FEED.replace(b"A good episode", b"Bad bytes \xff\xfe\xc3( here")
    server.routes["/latin.xml"] = with_content_type(body, "application/rss+xml; charset=utf-8")
    source = make_source(feed_url=server.url("/latin.xml"))

    result = services.source_poll(source=source)

    assert result.outcome == IngestionLog.Outcome.OK, result.error
    # Read as text in some encoding (the decoder falls back to windows-1252), never
    # stored as broken bytes: the title is valid Unicode that any page can render.
    title = Article.objects.get(source=source).title
    assert title.startswith("Bad bytes") and title.endswith("here")
    title.encode("utf-8")
    _assert_good_source_unaffected(server)


def test_feed_of_ten_thousand_items_is_cut_to_the_episode_limit(server):
    data = hostile_files.many_items_feed(10_000)
    # The parser, with its real limit, on the real feed: newest and oldest both survive.
    parsed = feeds.parse_feed(data)
    guids = [episode.guid for episode in parsed.episodes]
    assert len(guids) == feeds.MAX_EPISODES == 5000
    assert guids[0] == "big-0" and guids[-1] == "big-9999"

    # Then a real poll of the same feed: the parser keeps 5,000 items and the per-poll
    # limit stores only the newest INGEST_MAX_NEW_PER_POLL of them; the rest is counted.
    server.routes["/big.xml"] = with_content_type(data, "application/rss+xml")
    source = make_source(feed_url=server.url("/big.xml"))

    result = services.source_poll(source=source)

    limit = settings.INGEST_MAX_NEW_PER_POLL
    assert result.outcome == IngestionLog.Outcome.OK, result.error
    assert Article.objects.filter(source=source).count() == limit
    log = IngestionLog.objects.get(source=source)
    assert log.items_new == limit and log.items_skipped == 5000 - limit
    _assert_good_source_unaffected(server)


# --- transcripts ---------------------------------------------------------------------


def _episode(server, transcript_route) -> Article:
    """An episode polled from a good feed whose transcript link serves `transcript_route`."""
    base = server.url("").rstrip("/")
    server.routes["/podcast.xml"] = with_content_type(podcast_feed(base, 1), "application/rss+xml")
    server.routes["/t/1.vtt"] = transcript_route
    source = make_source(feed_url=server.url("/podcast.xml"))
    result = services.source_poll(source=source)
    assert result.outcome == IngestionLog.Outcome.OK, result.error
    return Article.objects.get(pk=result.new_article_ids[0])


def test_five_megabyte_transcript_is_stored_within_bounds(server):
    body = hostile_files.long_vtt(5 * MiB)
    article = _episode(server, Response(body=body, content_type="text/vtt"))

    transcript = services.transcript_fetch(article=article)

    assert transcript is not None and transcript.format == "vtt"
    assert len(body) >= 5 * MiB and len(transcript.segments) > 40_000
    article.refresh_from_db()
    assert article.status == Article.Status.TRANSCRIBED


@pytest.mark.parametrize(
    ("route", "phrase"),
    [
        (huge_body(100 * MiB, declare_length=False), "too large"),
        (gzip_bomb(100 * MiB), "too large"),
        (redirect("http://169.254.169.254/latest/meta-data/"), "link-local address"),
    ],
    ids=["100-mb-transcript", "gzip-bomb-transcript", "transcript-redirect-to-metadata"],
)
def test_hostile_transcript_is_refused_and_the_refusal_recorded(server, route, phrase):
    article = _episode(server, route)

    transcript = services.transcript_fetch(article=article)

    # The chain falls back to the show notes, marked as such (never auto-published),
    # and says why the feed's transcript was not used.
    assert transcript is not None
    assert transcript.origin == Transcript.Origin.DESCRIPTION
    feed_step = next(p for p in transcript.provenance if p["step"] == "feed")
    assert feed_step["outcome"] == "failed" and phrase in feed_step["reason"]
    _assert_good_source_unaffected(server)


def test_hostile_transcript_without_show_notes_leaves_the_episode_waiting(server):
    article = _episode(server, gzip_bomb(100 * MiB))
    Article.objects.filter(pk=article.pk).update(description_html="")
    article.refresh_from_db()

    assert services.transcript_fetch(article=article) is None

    article.refresh_from_db()
    assert article.status == Article.Status.NEEDS_TRANSCRIPT
    assert "too large" in article.status_reason
    assert not Transcript.objects.filter(article=article).exists()


# --- through a real worker -----------------------------------------------------------


@pytest.mark.celery
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_survives_hostile_sources_and_still_ingests_a_good_one(tmp_path, worker_id):
    redis_url = private_redis_url(worker_id)
    flush(redis_url)
    env = worker_env(redis_url, FETCH_TOTAL_TIMEOUT=str(TOTAL_TIMEOUT))
    with serve() as server:
        base = server.url("").rstrip("/")
        hostile = []
        for name in (
            "billion-laughs",
            "100-mb-body",
            "gzip-bomb",
            "one-byte-a-second",
            "redirect-to-metadata",
        ):
            server.routes[f"/{name}"] = HOSTILE_FEEDS[name][0]
            hostile.append(make_source(feed_url=server.url(f"/{name}")))
        server.routes["/podcast.xml"] = podcast_feed(base, 2)
        for n in (1, 2):
            server.routes[f"/t/{n}.vtt"] = Response(
                body=transcript_vtt(3).encode(), content_type="text/vtt"
            )
        good = make_source(feed_url=server.url("/podcast.xml"))
        worker = start_worker(env, tmp_path / "worker.log")
        try:
            # One process, hostile sources first: the good one is polled only after
            # the worker has been through all of them.
            for source in [*hostile, good]:
                send_task(redis_url, "ingestion.tasks.poll_source", source.pk)

            def good_done() -> bool:
                connection.close()
                return Digest.objects.filter(article__source=good, status="ready").count() == 2

            wait_for(good_done, timeout=90, what="the good source's two digests", logs=[worker])
            assert worker.handle.poll() is None, "the worker process died"
            assert eventually(lambda: ping(redis_url), 20), "the worker no longer answers"
        finally:
            worker.kill()
            flush(redis_url)

    connection.close()
    for source in hostile:
        source.refresh_from_db()
        assert source.consecutive_failures == 1 and source.last_error, source.feed_url
        assert IngestionLog.objects.filter(source=source, outcome="error").count() == 1
    assert Article.objects.filter(source=good).count() == 2
    assert "Traceback" not in worker.output()
