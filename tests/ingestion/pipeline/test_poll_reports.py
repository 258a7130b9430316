"""`poll` and `ingest` say what happened, per source, and exit accordingly (issue 17,
point 3): run as commands against a real HTTP server on 127.0.0.1 and local files."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from articles.models import Article
from testing.http_servers import Response, serve, status
from tests.factories import make_source
from tests.ingestion.pipeline.feeds import podcast_feed, transcript_vtt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.DIGEST_LANGUAGES = ["en"]
    settings.SUMMARIZER_BACKEND = "extractive"


def _serve_feed(server, path: str, episodes: int, *, with_transcripts: bool = True) -> None:
    base = server.url("").rstrip("/")
    server.routes[path] = podcast_feed(base, episodes, with_transcripts=with_transcripts)
    for n in range(1, episodes + 1):
        server.routes[f"/t/{n}.vtt"] = Response(
            body=transcript_vtt().encode(), content_type="text/vtt"
        )


def test_every_source_polled_exits_0_with_what_became_of_each_episode(capfd):
    with serve() as server:
        _serve_feed(server, "/feed.xml", 2)
        make_source(slug="chips-weekly", feed_url=server.url("/feed.xml"))
        call_command("poll")
    out, err = capfd.readouterr()
    line = next(line for line in out.splitlines() if line.startswith("chips-weekly:"))
    assert "episodes 2 new, 0 updated, 0 skipped" in line
    assert "transcripts 2 found, 0 waiting, 0 failed" in line
    assert "digests 2 written, 0 not written;" in line
    published = Article.objects.filter(status=Article.Status.PUBLISHED).count()
    review = Article.objects.filter(status=Article.Status.REVIEW).count()
    assert f"articles {published} published, {review} waiting for review" in line
    assert published + review == 2
    assert err.strip() == ""


BARE_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Bare</title><link>https://example.org/</link>
{items}</channel></rss>"""
BARE_ITEM = """<item><title>Episode {n}</title><guid>bare-{n}</guid>
<enclosure url="https://example.org/{n}.mp3" length="1000" type="audio/mpeg"/></item>"""


def test_episodes_waiting_for_a_transcript_are_not_called_processed(capfd):
    # No transcript link, no captions, no speech-to-text configured, no show notes.
    items = "".join(BARE_ITEM.format(n=n) for n in range(1, 4))
    with serve() as server:
        server.routes["/feed.xml"] = BARE_FEED.format(items=items).encode()
        make_source(slug="no-transcripts", feed_url=server.url("/feed.xml"))
        call_command("poll", "--source", "no-transcripts")
    out = capfd.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("no-transcripts:"))
    assert "episodes 3 new" in line
    assert "transcripts 0 found, 3 waiting (" in line
    assert "digests 0 written, 0 not written;" in line
    assert "processed" not in line


def test_digests_that_could_not_be_written_are_counted_with_the_reason(capfd):
    # The show notes stand in for a transcript, but they are too short to summarise.
    with serve() as server:
        _serve_feed(server, "/feed.xml", 2, with_transcripts=False)
        make_source(slug="short-notes", feed_url=server.url("/feed.xml"))
        call_command("poll", "--source", "short-notes")
    line = next(
        line for line in capfd.readouterr().out.splitlines() if line.startswith("short-notes:")
    )
    assert "transcripts 2 found" in line
    assert "digests 0 written, 2 not written (" in line and "too short" in line
    assert "articles 0 published, 0 waiting for review" in line


def test_a_failed_source_exits_1_and_is_said_once_on_stderr(capfd):
    with serve() as server:
        _serve_feed(server, "/feed.xml", 1)
        server.routes["/broken.xml"] = status(404)
        make_source(slug="fine-feed", feed_url=server.url("/feed.xml"))
        make_source(slug="gone-feed", feed_url=server.url("/broken.xml"))
        with pytest.raises(SystemExit) as exit_:
            call_command("poll")
    assert exit_.value.code == 1
    out, err = capfd.readouterr()
    assert "fine-feed: episodes 1 new" in out
    assert "gone-feed" not in out
    assert err.count("gone-feed") == 1, err
    assert "404" in err
    assert "1 of 2 sources failed" in err


def test_an_unknown_source_is_a_usage_error(capfd):
    with pytest.raises(SystemExit) as exit_:
        call_command("poll", "--source", "nope")
    assert exit_.value.code == 2
    assert capfd.readouterr().err.strip() == "error: no source with slug 'nope'"


def test_ingest_reports_the_same_way(tmp_path, capfd):
    source = make_source(slug="local-file")
    feed = tmp_path / "feed.xml"
    feed.write_bytes(podcast_feed("https://example.org", 3, with_transcripts=False))
    call_command("ingest", str(feed), "--source", "local-file", "--no-digests")
    call_command("ingest", str(feed), "--source", "local-file", "--no-digests")
    lines = [line for line in capfd.readouterr().out.splitlines() if line.startswith("local-")]
    assert "episodes 3 new, 0 updated, 0 skipped" in lines[0]
    assert "episodes 0 new, 3 updated, 0 skipped" in lines[1]
    assert Article.objects.filter(source=source).count() == 3
