"""`add_source` reads the feed before it saves anything (issue 17, point 1): run as a
command against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ingestion.models import Source
from testing.http_servers import Response, serve, status
from tests.ingestion.pipeline.feeds import podcast_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def allow_local(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]


def refused(capsys, *args: str) -> str:
    """Run add_source expecting a refusal: exit 2, one error line, nothing saved."""
    with pytest.raises(SystemExit) as exit_:
        call_command("add_source", *args)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert Source.objects.count() == 0
    return lines[0]


def test_a_feed_is_read_and_named_after_its_title(allow_local, capsys):
    with serve() as server:
        server.routes["/feed.xml"] = podcast_feed(server.url("").rstrip("/"), 3)
        call_command("add_source", server.url("/feed.xml"))
    source = Source.objects.get()
    assert source.name == "Pipeline Test Podcast"
    assert source.slug == "pipeline-test-podcast"
    assert source.kind == "podcast"
    out = capsys.readouterr().out
    assert "added source pipeline-test-podcast" in out
    assert "3 episodes in the feed" in out


def test_two_feeds_with_one_title_get_two_slugs(allow_local):
    with serve() as server:
        base = server.url("").rstrip("/")
        server.routes["/a.xml"] = podcast_feed(base, 1)
        server.routes["/b.xml"] = podcast_feed(base, 1)
        call_command("add_source", server.url("/a.xml"))
        call_command("add_source", server.url("/b.xml"), "--name", "")
    slugs = sorted(Source.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 2 and all(s.startswith("pipeline-test-podcast") for s in slugs)


def test_an_html_page_is_not_a_feed(allow_local, capsys):
    page = b"<!doctype html><html><head><title>Home</title></head><body><p>Hi</p></body></html>"
    with serve() as server:
        server.routes["/page.html"] = Response(body=page, content_type="text/html")
        line = refused(capsys, server.url("/page.html"))
    assert "was not added" in line and "not a feed" in line


def test_an_http_error_is_reported_with_its_status(allow_local, capsys):
    with serve() as server:
        server.routes["/gone.xml"] = status(404)
        line = refused(capsys, server.url("/gone.xml"))
    assert "404" in line


def test_an_address_the_fetcher_refuses_is_not_saved(capsys):
    # 127.0.0.1 is not on the allow-list here: the guarded fetcher refuses it.
    with serve() as server:
        server.routes["/feed.xml"] = podcast_feed(server.url("").rstrip("/"), 1)
        line = refused(capsys, server.url("/feed.xml"))
        assert server.requests == []
    assert "refused" in line.lower() or "not allowed" in line.lower()


def test_not_a_url_is_said_once(capsys):
    line = refused(capsys, "not-a-url")
    assert line == "error: 'not-a-url' is not an http(s) URL"


def test_no_check_saves_a_feed_that_is_down_today(allow_local, capsys):
    with serve() as server:
        server.routes["/feeds/podcast.xml"] = status(503)
        url = server.url("/feeds/podcast.xml")
        call_command("add_source", url, "--no-check")
        assert server.requests == []
    source = Source.objects.get()
    assert source.feed_url == url
    assert source.name.startswith("127.0.0.1") and source.name.endswith("/feeds/podcast")
    assert source.slug.startswith("127-0-0-1-") and source.slug.endswith("-feeds-podcast")
    assert "not checked" in capsys.readouterr().out
