"""Commands judge a file by what it is (issue 17, point 2): bytes that are not text
are refused as such, never summarised; every size cap holds for a local file as it
does for a URL. Run as commands on local files."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.factories import make_source
from tests.ingestion.pipeline.feeds import podcast_feed

pytestmark = pytest.mark.django_db


def refused(capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        call_command(*args)
    assert exit_.value.code == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


@pytest.fixture
def random_file(tmp_path):
    path = tmp_path / "random.bin"
    path.write_bytes(random.Random(7).randbytes(60_000))
    return path


@pytest.mark.parametrize("command", ["inspect_transcript", "digest"])
def test_random_bytes_are_not_a_transcript(capsys, random_file, command):
    line = refused(capsys, command, str(random_file))
    assert "not a text transcript" in line
    assert "too long" not in line


def test_an_mp3_named_vtt_is_not_a_transcript(capsys, tmp_path):
    fake = tmp_path / "episode.vtt"
    fake.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + random.Random(3).randbytes(20_000))
    assert "not a text transcript" in refused(capsys, "inspect_transcript", str(fake))


def test_text_without_words_is_not_a_transcript(capsys, tmp_path):
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("\n".join(f"{n} {n * 7} {n * 13} -- ## 42" for n in range(400)))
    assert "no words" in refused(capsys, "digest", str(numbers))


def test_a_real_transcript_still_reads(capsys, tmp_path):
    vtt = tmp_path / "ok.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nWe tested the new laptop chips today.\n\n"
        "00:00:04.500 --> 00:00:08.000\nBattery life was better than last year.\n"
    )
    call_command("inspect_transcript", str(vtt))
    assert "laptop chips" in capsys.readouterr().out


def test_ingest_applies_the_feed_size_cap_to_a_local_file(capsys, tmp_path, settings):
    settings.FETCH_MAX_FEED_BYTES = 2_000
    source = make_source(slug="capped")
    feed = tmp_path / "huge.xml"
    feed.write_bytes(podcast_feed("https://example.org", 20, with_transcripts=False))
    assert feed.stat().st_size > 2_000
    line = refused(capsys, "ingest", str(feed), "--source", "capped", "--no-digests")
    assert "larger than 2000 bytes" in line
    assert Article.objects.filter(source=source).count() == 0
    # inspect_feed says the same about the same file.
    assert refused(capsys, "inspect_feed", str(feed)) == line


BROKEN_FEED = b"<rss><channel><title>Broken<item><title>x</title>"
HALF_BROKEN_FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Half</title>
<item><title>One</title><guid>half-1</guid></item>
<item><title>Two & more</title><guid>half-2</guid></item>
</channel></rss>"""


def test_xml_that_is_not_well_formed_is_refused_with_where(capsys, tmp_path):
    feed = tmp_path / "broken.xml"
    feed.write_bytes(BROKEN_FEED)
    line = refused(capsys, "inspect_feed", str(feed))
    assert "not well-formed" in line and "line " in line and "column " in line
    assert "Brokenx" not in line


def test_a_broken_feed_is_not_ingested(capsys, tmp_path):
    source = make_source(slug="broken-feed")
    feed = tmp_path / "broken.xml"
    feed.write_bytes(BROKEN_FEED)
    line = refused(capsys, "ingest", str(feed), "--source", "broken-feed")
    assert "not well-formed" in line
    assert Article.objects.filter(source=source).count() == 0


def test_items_recovered_from_broken_xml_are_kept_with_a_warning(capsys, tmp_path):
    from ingestion.models import IngestionLog

    source = make_source(slug="half-broken")
    feed = tmp_path / "half.xml"
    feed.write_bytes(HALF_BROKEN_FEED)
    call_command("inspect_feed", str(feed))
    err = capsys.readouterr().err
    assert err.startswith("warning: the XML is not well-formed (line 4, column ")
    assert "2 items recovered" in err
    call_command("ingest", str(feed), "--source", "half-broken", "--no-digests")
    assert "warning: the XML is not well-formed" in capsys.readouterr().err
    assert Article.objects.filter(source=source).count() == 2
    # Where an editor reads a source's polls.
    log = IngestionLog.objects.filter(source=source).latest("started_at")
    assert log.outcome == "ok" and log.error.startswith("warning: the XML is not well-formed")
