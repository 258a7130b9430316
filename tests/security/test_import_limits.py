"""Bounded imports and parses (issue 16, finding 5).

Findings: OPML import had no size limit (100,000 outlines made 100,000 sources) and
took sources at internal addresses that polling then refused; a 14 MB feed of
2,000,000 nested elements took 41 s and 900 MB to parse, a 15.5 MB VTT 23 s and
674 MB. These tests check the refusals, and that hostile files within the limits are
read (or refused) without an error; time and memory are measured by
bench/parse_limits.py, not here.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from articles.models import Article
from ingestion import services
from ingestion.errors import FeedError, TranscriptError
from ingestion.feeds import MAX_DESCRIPTION_CHARS, parse_feed
from ingestion.models import IngestionLog, Source
from ingestion.opml import OpmlError
from ingestion.transcripts import MAX_PHRASE, parse_transcript
from testing import hostile_files as hostile
from testing.http_servers import Response, serve
from tests.factories import make_source

pytestmark = pytest.mark.django_db


def import_opml(tmp_path, data: bytes) -> tuple[int, str, str]:
    """Run `manage.py import_opml` on these bytes: (exit status, stdout, stderr)."""
    path = tmp_path / "subscriptions.opml"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_opml", str(path), stdout=out, stderr=err)
    except SystemExit as exit_:  # CleanCommand: one "error: ..." line, exit status 2
        return int(exit_.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# --- OPML -----------------------------------------------------------------------------


def test_the_issues_opml_of_100000_outlines_is_refused_and_nothing_is_saved(tmp_path, capsys):
    data = hostile.opml(hostile.public_feed_urls(100_000))
    status, _, _ = import_opml(tmp_path, data)
    assert status == 2
    error = capsys.readouterr().err
    assert f"error: OPML file too large: {len(data):,} bytes" in error
    assert "OPML_MAX_BYTES" in error
    assert Source.objects.count() == 0


def test_an_opml_listing_more_feeds_than_the_limit_is_refused_whole():
    data = hostile.opml(hostile.public_feed_urls(2_001))
    assert len(data) < 1024 * 1024  # under the size limit: the outline limit refuses it
    with pytest.raises(OpmlError, match=r"too many feeds in one OPML file: 2,001 .*2,000"):
        services.sources_import_opml(data=data)
    assert Source.objects.count() == 0


def test_the_limits_come_from_settings(settings):
    settings.OPML_MAX_OUTLINES = 3
    assert len(services.sources_import_opml(data=hostile.opml(hostile.public_feed_urls(3)))[0])
    with pytest.raises(OpmlError, match="OPML_MAX_OUTLINES"):
        services.sources_import_opml(data=hostile.opml(hostile.public_feed_urls(4)))
    settings.OPML_MAX_BYTES = 100
    with pytest.raises(OpmlError, match="OPML_MAX_BYTES"):
        services.sources_import_opml(data=hostile.opml(hostile.public_feed_urls(1)))


INTERNAL = {
    "http://127.0.0.1:8000/feed.xml": "refused: 127.0.0.1 is a loopback address",
    "http://localhost/feed.xml": "refused: localhost resolves to 127.0.0.1, a loopback address",
    "http://10.0.0.7/feed.xml": "refused: 10.0.0.7 is a private address",
    "http://169.254.169.254/latest/meta-data/": "refused: 169.254.169.254 is a link-local address",
    "http://[::1]/feed.xml": "refused: ::1 is a loopback address",
    "http://2130706433/feed.xml": "refused: 2130706433 resolves to 127.0.0.1, a loopback address",
    "file:///etc/passwd": "refused: file:// URLs are not fetched (only http and https)",
}


def test_sources_the_fetcher_would_refuse_are_skipped_one_line_each(tmp_path):
    [public] = hostile.public_feed_urls(1)
    status, out, err = import_opml(tmp_path, hostile.opml([*INTERNAL, public]))
    assert status == 0
    assert out.strip() == f"1 sources added, {len(INTERNAL)} skipped"
    # One line per refused feed, with the fetcher's own reason.
    assert err.splitlines() == [f"skipped {url}: {reason}" for url, reason in INTERNAL.items()]
    assert list(Source.objects.values_list("feed_url", flat=True)) == [public]


def test_hosts_the_operator_lets_the_fetcher_reach_may_be_imported(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    created, skipped = services.sources_import_opml(
        data=hostile.opml(["http://127.0.0.1:8000/feed.xml", "http://10.0.0.7/feed.xml"])
    )
    assert [s.feed_url for s in created] == ["http://127.0.0.1:8000/feed.xml"]
    assert skipped == ["http://10.0.0.7/feed.xml: refused: 10.0.0.7 is a private address"]


# --- Feeds ------------------------------------------------------------------------------


def test_the_issues_deeply_nested_feed_is_refused():
    data = hostile.nested_feed(2_000_000)
    assert len(data) > 14_000_000
    with pytest.raises(FeedError, match=r"nested over 100 deep \(FEED_MAX_DEPTH\)"):
        parse_feed(data)


def test_a_refused_feed_is_recorded_on_its_source_for_the_editors(settings, admin_client):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    with serve({"/feed.xml": hostile.nested_feed(2_000_000)}) as server:
        source = make_source(feed_url=server.url("/feed.xml"))
        result = services.source_poll(source=source)
    assert result.outcome == IngestionLog.Outcome.ERROR
    source.refresh_from_db()
    assert source.consecutive_failures == 1
    assert "FEED_MAX_DEPTH" in source.last_error
    assert "FEED_MAX_DEPTH" in IngestionLog.objects.get(source=source).error
    # The sources list in the admin shows the failing feed and why.
    page = admin_client.get("/admin/ingestion/source/").content.decode()
    assert "FEED_MAX_DEPTH" in page


@pytest.mark.parametrize("well_formed", [True, False])
def test_too_many_elements_are_refused_whether_or_not_the_xml_is_well_formed(well_formed):
    with pytest.raises(FeedError, match=r"over 200,000 elements \(FEED_MAX_ELEMENTS\)"):
        parse_feed(hostile.flat_feed(200_001, well_formed=well_formed))


def test_a_json_feed_of_millions_of_objects_is_refused():
    with pytest.raises(FeedError, match="FEED_MAX_ELEMENTS"):
        parse_feed(hostile.json_feed_of_empty_objects(5_000_000))


def test_nesting_up_to_the_limit_is_read():
    # rss > channel > item are three levels: 97 more reach the limit of 100 exactly.
    feed = parse_feed(hostile.nested_feed(97, repeat=50))
    assert [episode.guid for episode in feed.episodes] == ["hostile-1"]
    with pytest.raises(FeedError, match="FEED_MAX_DEPTH"):
        parse_feed(hostile.nested_feed(98))


@pytest.mark.parametrize("well_formed", [True, False])
def test_hostile_feeds_within_the_limits_are_read(settings, well_formed):
    settings.FEED_MAX_DEPTH = 30
    settings.FEED_MAX_ELEMENTS = 3_000
    # 27 levels in an item, and 2,950 elements in all: within both limits.
    feed = parse_feed(hostile.nested_feed(27, repeat=100, well_formed=well_formed))
    assert len(feed.episodes) == 1
    feed = parse_feed(hostile.flat_feed(2_950, well_formed=well_formed))
    assert len(feed.episodes) == 1
    with pytest.raises(FeedError, match="FEED_MAX_ELEMENTS"):
        parse_feed(hostile.flat_feed(3_001, well_formed=well_formed))


def test_markup_inside_cdata_is_text_not_elements_even_in_a_broken_feed(settings):
    settings.FEED_MAX_ELEMENTS = 100
    notes = "<p>" + "<b>bold</b> " * 500 + "</p>"
    data = hostile.nested_feed(1, well_formed=False).replace(
        b"<item>", f"<item><description><![CDATA[{notes}]]></description>".encode()
    )
    [episode] = parse_feed(data).episodes
    assert episode.description_text.count("bold") == 500


def test_a_huge_description_is_cut_not_refused():
    [episode] = parse_feed(hostile.big_description_feed(14_000_000)).episodes
    assert 0 < len(episode.description_html) <= MAX_DESCRIPTION_CHARS
    assert episode.description_text.startswith("word bold word bold")


# --- Transcripts ---------------------------------------------------------------------------


def test_the_issues_vtt_of_tiny_cues_is_refused():
    data = hostile.tiny_cue_vtt(15_500_000)
    with pytest.raises(TranscriptError, match=r"over 300,000 lines \(TRANSCRIPT_MAX_LINES\)"):
        parse_transcript(data, content_type="text/vtt")


def test_too_many_cues_objects_or_tags_are_refused(settings):
    settings.TRANSCRIPT_MAX_CUES = 100
    parsed = parse_transcript(hostile.timed_vtt(100), content_type="text/vtt")
    assert len(parsed.segments) == 100
    with pytest.raises(TranscriptError, match=r"over 100 cues \(TRANSCRIPT_MAX_CUES\)"):
        parse_transcript(hostile.timed_vtt(101), content_type="text/vtt")
    with pytest.raises(TranscriptError, match=r"over 100 JSON objects"):
        parse_transcript(hostile.untimed_words_json(101), content_type="application/json")
    html = "<html><body>" + "<p>words</p>" * 60 + "</body></html>"
    with pytest.raises(TranscriptError, match=r"over 100 HTML tags"):
        parse_transcript(html.encode(), content_type="text/html")


def test_a_transcript_of_words_without_times_or_punctuation_is_read_in_phrases():
    # 50,000 words that nothing separates: joined one by one into a growing string,
    # they took quadratic time; now each phrase ends at MAX_PHRASE characters.
    parsed = parse_transcript(hostile.untimed_words_json(50_000), content_type="application/json")
    assert parsed.words == 50_000
    assert len(parsed.segments) > 1
    assert all(len(segment.text) <= MAX_PHRASE + len(" word") for segment in parsed.segments)


def test_a_refused_transcript_is_recorded_on_the_episode_for_the_editors(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.STT_BASE_URL = ""
    settings.YOUTUBE_CAPTIONS = False
    vtt = Response(body=hostile.tiny_cue_vtt(15_500_000), content_type="text/vtt")
    with serve({"/episode.vtt": vtt}) as server:
        source = make_source()
        article = Article.objects.create(
            source=source,
            guid="hostile-vtt",
            slug="hostile-vtt",
            title="An episode with a hostile transcript",
            status=Article.Status.NEW,
            language="en",
            transcript_links=[{"url": server.url("/episode.vtt"), "type": "text/vtt"}],
        )
        assert services.transcript_fetch(article=article) is None
    article.refresh_from_db()
    assert article.status == Article.Status.NEEDS_TRANSCRIPT
    assert "TRANSCRIPT_MAX_LINES" in article.status_reason
