"""manage.py inspect_feed and inspect_transcript: JSON out; bad input gives one line, exit 2.

No database: the commands parse and print, nothing else.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from ingestion import fetch

ROOT = Path(__file__).resolve().parent.parent.parent
FEEDS = ROOT / "tests" / "fixtures" / "feeds"
TRANSCRIPTS = ROOT / "tests" / "fixtures" / "transcripts"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run_failing(capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as caught:
        call_command(*args, stdout=io.StringIO())
    assert caught.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


class FakeResult:
    def __init__(self, content: bytes, url: str, content_type: str = "") -> None:
        self.content = content
        self.url = url
        self.status = 200
        self.headers = {"content-type": content_type} if content_type else {}


# --------------------------------------------------------------------------- inspect_feed


def test_inspect_feed_json_has_exactly_the_documented_shape():
    data = json.loads(run("inspect_feed", str(FEEDS / "podcast_rss.xml"), "--json"))
    assert list(data) == ["title", "link", "language", "kind", "episodes"]
    assert (data["title"], data["kind"], data["language"]) == (
        "Packet Pushers of the Mind",
        "podcast",
        "en-GB",
    )
    first = data["episodes"][0]
    assert list(first) == [
        "guid",
        "title",
        "link",
        "published",
        "duration_seconds",
        "audio_url",
        "video_url",
        "description_html",
        "transcripts",
        "chapters_url",
    ]
    assert first["published"] == "2024-06-04T04:30:00+00:00"
    assert first["duration_seconds"] == 3723
    assert first["transcripts"][1] == {
        "url": "https://pods.example.net/packet/42/captions.vtt",
        "type": "text/vtt",
        "language": "en",
        "rel": "captions",
    }
    assert data["episodes"][3]["published"] == "2024-05-14T06:30:00+00:00"


def test_inspect_feed_null_published_and_youtube():
    data = json.loads(run("inspect_feed", str(FEEDS / "media_rss.xml"), "--json"))
    assert data["episodes"][0]["published"] is None
    youtube = json.loads(run("inspect_feed", str(FEEDS / "youtube_channel.xml"), "--json"))
    assert youtube["kind"] == "youtube"
    assert youtube["episodes"][0]["video_url"] == "https://www.youtube.com/watch?v=aB3dE5gH7jK"


def test_inspect_feed_readable_summary():
    text = run("inspect_feed", str(FEEDS / "podcast_rss.xml"))
    assert text.startswith("Packet Pushers of the Mind (podcast, en-GB)\n")
    assert "4 episodes" in text
    assert "- 2024-06-04   1:02:03  E42: QUIC in production" in text
    assert (
        "transcript: https://pods.example.net/packet/42/captions.vtt (text/vtt, en, captions)"
        in text
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (FEEDS / "hostile_billion_laughs.xml", "error: refused hostile XML"),
        (FEEDS / "hostile_xxe_file.xml", "error: refused hostile XML"),
        (FEEDS / "not_a_feed.html", "error: not a feed"),
        (FEEDS / "does_not_exist.xml", "error: no such file"),
        (FEEDS, "error: no such file"),
        ("ftp://example.com/feed.xml", "error: cannot read 'ftp://example.com/feed.xml'"),
    ],
)
def test_inspect_feed_unusable_input(capsys, path, message):
    assert run_failing(capsys, "inspect_feed", str(path), "--json").startswith(message)


def test_inspect_feed_fetches_urls_through_the_fetcher(monkeypatch):
    calls = []

    def fake_fetch(url, *, max_bytes=None, **kwargs):
        calls.append((url, max_bytes))
        content = (FEEDS / "podcast_custom_prefix.xml").read_bytes()
        return FakeResult(content, "https://odd.example.com/feeds/main.xml")

    monkeypatch.setattr(fetch, "fetch_url", fake_fetch)
    data = json.loads(run("inspect_feed", "https://odd.example.com/feed", "--json"))
    assert calls and calls[0][0] == "https://odd.example.com/feed" and calls[0][1] > 0
    # Relative links resolve against where the bytes finally came from.
    assert data["episodes"][0]["transcripts"][0]["url"] == (
        "https://odd.example.com/pilot/transcript.srt"
    )


def test_inspect_feed_fetch_errors_are_one_line(monkeypatch, capsys):
    def refuse(url, **kwargs):
        raise fetch.FetchError("refused: 10.0.0.1 is a private address", url=url)

    monkeypatch.setattr(fetch, "fetch_url", refuse)
    line = run_failing(capsys, "inspect_feed", "http://intranet.example/feed", "--json")
    assert line == "error: refused: 10.0.0.1 is a private address"


def test_inspect_feed_reads_stdin(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO((FEEDS / "json_feed.json").read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert json.loads(run("inspect_feed", "-", "--json"))["title"] == "Shell Sessions"


# --------------------------------------------------------------------------- inspect_transcript


def test_inspect_transcript_json():
    data = json.loads(run("inspect_transcript", str(TRANSCRIPTS / "full.vtt"), "--json"))
    assert list(data) == ["format", "segments", "words"]
    assert data["format"] == "vtt"
    assert data["words"] == 28
    assert data["segments"][0] == {
        "start": 0.0,
        "end": 4.5,
        "speaker": "Ada Lovelace",
        "text": "Welcome back to the show & thanks for listening.",
    }


def test_inspect_transcript_type_overrides_the_file_name(tmp_path):
    path = tmp_path / "transcript.bin"
    path.write_bytes((TRANSCRIPTS / "speakers.srt").read_bytes())
    data = json.loads(run("inspect_transcript", str(path), "--type", "application/srt", "--json"))
    assert data["format"] == "srt"
    assert data["segments"][0]["speaker"] == "Dana"


def test_inspect_transcript_from_stdin_one_turn_per_line(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(b"Alice: Hello.\nBob: Hi there, Alice.\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    data = json.loads(run("inspect_transcript", "-", "--json"))
    assert data == {
        "format": "text",
        "segments": [
            {"start": None, "end": None, "speaker": "Alice", "text": "Hello."},
            {"start": None, "end": None, "speaker": "Bob", "text": "Hi there, Alice."},
        ],
        "words": 4,
    }


def test_inspect_transcript_readable_listing():
    text = run("inspect_transcript", str(TRANSCRIPTS / "podcast.html"))
    assert text.startswith("html: 4 segments, 26 words, language en\nspeakers: Priya, Tom\n")
    assert "[00:01:05] Tom: Caches are just memory with opinions." in text
    assert "[--:--:--] Tom: A second paragraph without its own time." in text


def test_inspect_transcript_url(monkeypatch):
    def fake_fetch(url, *, max_bytes=None, **kwargs):
        content = (TRANSCRIPTS / "captions.sbv").read_bytes()
        return FakeResult(content, url, "application/octet-stream")

    monkeypatch.setattr(fetch, "fetch_url", fake_fetch)
    data = json.loads(run("inspect_transcript", "https://cdn.example.com/c.sbv?t=1", "--json"))
    assert data["format"] == "sbv"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no_header.vtt", "error: not a WebVTT file: missing WEBVTT header"),
        ("broken.json", "error: invalid JSON transcript: "),
        ("not_subtitles.srt", "error: no cues found in SRT file"),
        ("missing.vtt", "error: no such file"),
    ],
)
def test_inspect_transcript_unusable_input(capsys, name, message):
    line = run_failing(capsys, "inspect_transcript", str(TRANSCRIPTS / name), "--json")
    assert line.startswith(message)


# --------------------------------------------------------------------------- real processes


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_command_line_errors_are_one_line_and_exit_2_without_traceback():
    done = manage("inspect_feed", str(FEEDS / "hostile_xxe_file.xml"), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "error: refused hostile XML: the document declares entities (<!ENTITY>)"
    ]
    done = manage("inspect_transcript", str(TRANSCRIPTS / "header_only.vtt"), "--json")
    assert (done.returncode, done.stderr.strip()) == (2, "error: no cues found in WebVTT file")


def test_command_line_help_and_success():
    done = manage("inspect_transcript", "--help")
    assert done.returncode == 0
    assert "PATH_OR_URL" in done.stdout and "--type MIME" in done.stdout
    done = manage("inspect_feed", str(FEEDS / "atom_blog.xml"), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "Compilers & Coffee"
