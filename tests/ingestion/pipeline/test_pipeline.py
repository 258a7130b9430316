"""The ingestion pipeline end to end in one process: feed -> articles -> transcript -> digest.

Feeds and transcripts are served by a real HTTP server on 127.0.0.1 (allowed through
FETCH_ALLOW_HOSTS, as an operator would allow a host of their own network).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from digests.models import Digest
from ingestion import pipeline
from ingestion import services as ingestion_services
from ingestion.models import IngestionLog, Source, Transcript
from testing.http_servers import Response, conditional, serve, status
from tests.factories import make_source
from tests.ingestion.pipeline.feeds import podcast_feed, serve_podcast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _allow_local(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.DIGEST_LANGUAGES = ["en", "fr"]
    settings.SUMMARIZER_BACKEND = "extractive"


def test_poll_creates_each_episode_once_and_re_polling_adds_nothing():
    with serve() as server:
        serve_podcast(server)
        source = ingestion_services.source_create(feed_url=server.url("/feed.xml"), kind="podcast")
        first = ingestion_services.source_poll(source=source)
        second = ingestion_services.source_poll(source=source)

    assert first.error == "" and len(first.new_article_ids) == 2
    assert second.new_article_ids == [] and second.seen == 2
    assert Article.objects.filter(source=source).count() == 2
    assert sorted(Article.objects.values_list("guid", flat=True)) == [
        "test-episode-1",
        "test-episode-2",
    ]
    logs = IngestionLog.objects.filter(source=source)
    assert logs.count() == 2 and set(logs.values_list("outcome", flat=True)) == {"ok"}
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.last_success_at is not None
    assert source.name == "Pipeline Test Podcast"  # the feed's title replaces the URL


def test_conditional_get_costs_nothing_the_second_time():
    with serve() as server:
        base = server.url("").rstrip("/")
        server.routes["/feed.xml"] = conditional(podcast_feed(base, 1))
        source = make_source(feed_url=server.url("/feed.xml"))
        ingestion_services.source_poll(source=source)
        result = ingestion_services.source_poll(source=source)
        second_request = server.requests[-1]
    assert result.outcome == IngestionLog.Outcome.NOT_MODIFIED
    assert second_request.header("if-none-match") == '"v1"'
    assert Article.objects.filter(source=source).count() == 1


def test_new_episode_goes_through_transcript_digest_and_publish_rule(settings):
    settings.AUTO_PUBLISH_MIN_SCORE = 0
    settings.AUTO_PUBLISH_MIN_GROUNDING = 0
    with serve() as server:
        serve_podcast(server, 1)
        source = make_source(feed_url=server.url("/feed.xml"))
        result = ingestion_services.source_poll(source=source)
        pipeline.articles_process(article_ids=result.new_article_ids)

    article = Article.objects.get(source=source)
    transcript = article.transcript
    assert transcript.origin == Transcript.Origin.FEED
    assert transcript.format == "vtt"
    assert transcript.segments[1]["speaker"] in {"Alice", "Bob"}
    assert [p["step"] for p in transcript.provenance] == ["feed"]
    # The extractive backend writes the episode's own language only.
    digest = article.digests.get()
    assert digest.language == "en" and digest.status == Digest.Status.READY
    assert 0 <= digest.score <= 10
    assert digest.key_points.count() >= 3
    assert article.status == Article.Status.PUBLISHED
    assert article.score == digest.score


def test_strict_publish_rule_sends_article_to_review(settings):
    settings.AUTO_PUBLISH_MIN_SCORE = 10
    with serve() as server:
        serve_podcast(server, 1)
        source = make_source(feed_url=server.url("/feed.xml"))
        result = ingestion_services.source_poll(source=source)
        pipeline.articles_process(article_ids=result.new_article_ids)
    article = Article.objects.get(source=source)
    assert article.status == Article.Status.REVIEW
    assert "below 10" in article.status_reason


def test_episode_without_transcript_uses_show_notes_and_is_never_auto_published(settings):
    settings.AUTO_PUBLISH_MIN_SCORE = 0
    settings.AUTO_PUBLISH_MIN_GROUNDING = 0
    with serve() as server:
        base = server.url("").rstrip("/")
        server.routes["/feed.xml"] = podcast_feed(base, 1, with_transcripts=False)
        source = make_source(feed_url=server.url("/feed.xml"))
        result = ingestion_services.source_poll(source=source)
        pipeline.articles_process(article_ids=result.new_article_ids)
    article = Article.objects.get(source=source)
    assert article.transcript.origin == Transcript.Origin.DESCRIPTION
    steps = {p["step"]: p["outcome"] for p in article.transcript.provenance}
    assert steps["feed"] == "skipped" and steps["description"] == "used"
    if article.digests.filter(status="ready").exists():
        assert article.digests.get().from_show_notes
        assert article.status == Article.Status.REVIEW
        assert "show notes" in article.status_reason


def test_dead_transcript_link_leaves_a_visible_needs_transcript_state():
    with serve() as server:
        base = server.url("").rstrip("/")
        server.routes["/feed.xml"] = podcast_feed(base, 1)
        server.routes["/t/1.vtt"] = status(404)
        source = make_source(feed_url=server.url("/feed.xml"))
        result = ingestion_services.source_poll(source=source)
        # Short show notes: nothing to fall back on.
        Article.objects.update(description_html="<p>Short.</p>")
        pipeline.articles_process(article_ids=result.new_article_ids)
    article = Article.objects.get(source=source)
    assert article.status == Article.Status.NEEDS_TRANSCRIPT
    assert "404" in article.status_reason
    assert not Transcript.objects.filter(article=article).exists()


def test_broken_feed_is_recorded_on_the_source_with_back_off_and_others_go_on():
    with serve() as server:
        serve_podcast(server, 1)
        server.routes["/broken.xml"] = Response(body=b"<html>not a feed", content_type="text/html")
        broken = make_source(feed_url=server.url("/broken.xml"))
        good = make_source(feed_url=server.url("/feed.xml"))
        before = timezone.now()
        ingestion_services.source_poll(source=broken)
        ingestion_services.source_poll(source=broken)
        ingestion_services.source_poll(source=good)

    broken.refresh_from_db()
    assert broken.consecutive_failures == 2
    assert broken.last_error
    # Back-off: 2**2 poll intervals, give or take the jitter.
    assert broken.next_poll_at > before + broken.poll_interval * 3
    log = IngestionLog.objects.filter(source=broken).latest()
    assert log.outcome == IngestionLog.Outcome.ERROR and log.error == broken.last_error
    assert Article.objects.filter(source=good).count() == 1


def test_refused_address_is_an_error_on_the_source(settings):
    settings.FETCH_ALLOW_HOSTS = []
    with serve() as server:
        server.routes["/feed.xml"] = b"<rss/>"
        source = make_source(feed_url=server.url("/feed.xml"))
        ingestion_services.source_poll(source=source)
        assert server.hits() == 0
    source.refresh_from_db()
    assert "refused" in source.last_error


def test_claiming_due_sources_never_hands_one_out_twice():
    due = make_source(next_poll_at=timezone.now() - timedelta(minutes=1))
    make_source(next_poll_at=timezone.now() + timedelta(hours=1))
    make_source(next_poll_at=timezone.now() - timedelta(minutes=1), active=False)
    assert ingestion_services.sources_claim_due() == [due.pk]
    assert ingestion_services.sources_claim_due() == []


def test_poll_command_and_tasks_chain_in_eager_mode(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    # The laptop mode (no broker: tasks run in-process), whatever this test run has.
    from newsroom.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    monkeypatch.setattr(app.conf, "task_eager_propagates", True)
    settings.AUTO_PUBLISH_MIN_SCORE = 0
    settings.AUTO_PUBLISH_MIN_GROUNDING = 0
    from ingestion.tasks import poll_due_sources

    with serve() as server:
        serve_podcast(server, 2)
        make_source(feed_url=server.url("/feed.xml"), next_poll_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            assert poll_due_sources.delay().get() == 1
    assert Article.objects.count() == 2
    assert Digest.objects.filter(status="ready").count() == 2


def test_add_source_then_poll_command(capsys):
    with serve() as server:
        serve_podcast(server, 1)
        call_command("add_source", server.url("/feed.xml"), "--kind", "podcast", "--topic", "ai")
        source = Source.objects.get()
        assert source.default_topic.slug == "ai"
        call_command("poll", "--source", source.slug)
    out = capsys.readouterr().out
    assert "1 new" in out
    assert Article.objects.get().topic.slug == "ai"


def test_ingest_command_reads_a_local_file(tmp_path, capsys):
    source = make_source()
    feed = tmp_path / "feed.xml"
    feed.write_bytes(podcast_feed("https://example.org", 3, with_transcripts=False))
    call_command("ingest", str(feed), "--source", source.slug, "--no-digests")
    assert Article.objects.filter(source=source).count() == 3
    call_command("ingest", str(feed), "--source", source.slug, "--no-digests")
    assert Article.objects.filter(source=source).count() == 3


def test_an_old_back_catalogue_is_skipped_past_the_per_poll_limit(settings):
    settings.INGEST_MAX_NEW_PER_POLL = 3
    source = make_source()
    data = podcast_feed("https://example.org", 8, with_transcripts=False)
    result = ingestion_services.source_poll(source=source, data=data)
    # Episode n is n hours old: the three newest are kept.
    kept = sorted(Article.objects.filter(source=source).values_list("guid", flat=True))
    assert kept == ["test-episode-1", "test-episode-2", "test-episode-3"]
    assert result.skipped == 5
    assert IngestionLog.objects.filter(source=source).latest().items_skipped == 5
    # Known episodes do not count against the limit on the next poll.
    again = ingestion_services.source_poll(source=source, data=data)
    assert again.new_article_ids == [] and again.skipped == 5
