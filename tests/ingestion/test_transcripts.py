"""The transcript parsers, format detection, link choice and the VTT/SRT writers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from articles.subtitles import segments_to_srt, segments_to_vtt
from articles.transcript_data import ParsedTranscript, Segment
from ingestion.errors import ParseError, TranscriptError
from ingestion.transcripts import (
    FORMATS,
    TranscriptLink,
    choose_transcript,
    detect_format,
    parse_timestamp,
    parse_transcript,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts"


def load(name: str, **hints: str) -> ParsedTranscript:
    return parse_transcript((FIXTURES / name).read_bytes(), filename=name, **hints)


def rows(transcript: ParsedTranscript) -> list[tuple]:
    return [(s.start, s.end, s.speaker, s.text) for s in transcript.segments]


def assert_sane(transcript: ParsedTranscript) -> None:
    assert transcript.format in FORMATS
    for segment in transcript.segments:
        assert segment.text and segment.text == segment.text.strip()
        assert segment.start is None or segment.start >= 0
        if segment.start is not None and segment.end is not None:
            assert segment.end >= segment.start


# --------------------------------------------------------------------------- WebVTT


def test_webvtt_voices_tags_notes_styles_regions_and_ids():
    transcript = load("full.vtt")
    assert transcript.format == "vtt"
    assert transcript.language == "en-GB"
    assert rows(transcript) == [
        (0.0, 4.5, "Ada Lovelace", "Welcome back to the show & thanks for listening."),
        (4.5, 9.25, "Bob", "So, schedulers: where do we even start?"),
        (9.25, 12.0, "Ada Lovelace", "With the run queue, of course <grin>."),
        (3600.0, 3602.0, "", "Unvoiced line an hour in."),
    ]
    assert transcript.words == 28
    assert_sane(transcript)


@pytest.mark.parametrize(
    "transform",
    [
        lambda text: text.replace("\n", "\r\n"),
        lambda text: "\ufeff" + text,
        lambda text: "\ufeff" + text.replace("\n", "\r"),
    ],
    ids=["crlf", "bom", "bom-and-cr"],
)
def test_webvtt_line_endings_and_bom(transform):
    text = transform((FIXTURES / "full.vtt").read_text())
    assert rows(parse_transcript(text.encode())) == rows(load("full.vtt"))
    assert rows(parse_transcript(text)) == rows(load("full.vtt"))  # str input works too


def test_webvtt_without_voice_tags_reads_name_prefixes():
    data = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nJane Doe: Hi there.\n\n"
        "00:02.000 --> 00:03.000\nStill Jane.\n\n00:03.000 --> 00:04.000\nOmar: Hello.\n"
    )
    assert [(s.speaker, s.text) for s in parse_transcript(data).segments] == [
        ("Jane Doe", "Hi there."),
        ("Jane Doe", "Still Jane."),
        ("Omar", "Hello."),
    ]


def test_youtube_rolling_captions_keep_each_line_once():
    transcript = load("youtube_auto.vtt")
    assert rows(transcript) == [
        (1.0, 3.21, "", "so today we're looking"),
        (3.21, 6.01, "", "at memory allocators"),
        (6.01, 8.0, "", "and why they matter"),
    ]


def test_broken_cues_are_skipped_and_times_repaired():
    transcript = load("broken_cues.vtt")
    assert rows(transcript) == [
        (1.0, 2.0, "", "Good cue one."),
        (4.0, 5.0, "", "Good cue two."),
        (5.0, 6.0, "", "Good cue three, no blank line before it."),
        (8.0, 8.0, "", "Ends before it starts."),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no_header.vtt", "not a WebVTT file: missing WEBVTT header"),
        ("header_only.vtt", "no cues found in WebVTT file"),
    ],
)
def test_bad_webvtt_files(name, message):
    with pytest.raises(TranscriptError) as caught:
        load(name)
    assert str(caught.value) == message


# --------------------------------------------------------------------------- SRT and SBV


def test_srt_speakers_tags_overlaps_and_extra_blank_lines():
    transcript = load("speakers.srt")
    assert transcript.format == "srt"
    assert rows(transcript) == [
        # Overlapping cues are clamped so each ends where the next begins.
        (0.5, 2.8, "Dana", "Welcome to Kernel Hour. Today: interrupts."),
        (2.8, 5.1, "Dana", "We'll keep it short."),  # a turn lasts until the next name
        (5.1, 7.0, "Lee", "Thanks, Dana & hello."),
        (7.0, 7.5, "Lee", "Overlapping cue."),
        (8.0, 9.0, "Lee", "42"),  # a number as the cue's text is text
    ]
    assert_sane(transcript)


def test_srt_without_indexes_and_with_dot_milliseconds():
    assert rows(load("no_index.srt")) == [
        (1.0, 2.5, "", "No index numbers here."),
        (2.5, 4.0, "", "Dots instead of commas. And a second line."),
    ]


def test_srt_without_blank_lines_between_cues():
    data = "1\n00:00:01,000 --> 00:00:02,000\nFirst\n2\n00:00:02,000 --> 00:00:03,000\nSecond\n"
    assert [
        s.text for s in parse_transcript(data, content_type="application/x-subrip").segments
    ] == [
        "First",
        "Second",
    ]


def test_not_a_subtitle_file():
    with pytest.raises(TranscriptError, match="^no cues found in SRT file$"):
        load("not_subtitles.srt")


def test_sbv_captions():
    transcript = load("captions.sbv")
    assert transcript.format == "sbv"
    assert rows(transcript) == [
        (0.0, 2.5, "", "Hello and welcome."),
        (2.5, 5.0, "Host", "today we talk about GPUs and why they are everywhere."),
        (5.0, 7.0, "Host", "Still the host speaking."),
    ]


# --------------------------------------------------------------------------- JSON


def test_podcasting20_json_segments():
    transcript = load("segments.json")
    assert transcript.format == "json"
    assert rows(transcript) == [
        (0.0, 4.2, "Mia", "Let's talk about Rust in the kernel."),
        (4.2, 7.9, "Omar", "It landed in 6.1, as a start."),
        (9.5, 12.0, "Mia", "Drivers first, then more."),  # a string time is read too
        (12.0, None, "Mia", "No end time here."),
    ]


def test_word_level_json_becomes_phrases():
    assert rows(load("words.json")) == [
        (0.25, 1.3, "Ann", "Hello there, friends."),
        (1.5, 2.1, "Ann", "Welcome back"),
        (2.4, 2.7, "Ben", "Thanks"),
        (6.0, 6.3, "Ben", "Anyway"),  # a long pause starts a new phrase
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken.json", "^invalid JSON transcript: "),
        ("not_transcript.json", "^not a JSON transcript: expected a 'segments' list$"),
    ],
)
def test_bad_json_transcripts(name, message):
    with pytest.raises(TranscriptError, match=message):
        load(name)


def test_json_with_absurd_numbers():
    data = json.dumps(
        {
            "segments": [
                {"startTime": 10**400, "endTime": 2, "body": "huge start"},
                {"startTime": "1e999", "endTime": "nan", "body": "not finite"},
                {"startTime": -3, "endTime": -1, "body": "negative"},
            ]
        }
    )
    transcript = parse_transcript(data)
    assert_sane(transcript)
    assert [s.start for s in transcript.segments] == [None, None, 0.0]


def test_json_with_no_usable_segment():
    data = json.dumps({"segments": [{"body": " "}, {"startTime": 1}, "x", {"body": 3}]})
    with pytest.raises(TranscriptError, match="no segments with text"):
        parse_transcript(data, content_type="application/json")


# --------------------------------------------------------------------------- HTML


def test_podcasting20_html_transcript():
    transcript = load("podcast.html")
    assert transcript.format == "html"
    assert transcript.language == "en"
    assert rows(transcript) == [
        (0.0, None, "Priya", "Welcome to episode twelve. Today it's all about caching."),
        (65.0, None, "Tom", "Caches are just memory with opinions."),
        (None, None, "Tom", "A second paragraph without its own time."),
        (3723.0, None, "Priya", "And that\u2019s the show."),
    ]
    assert "not transcript text" not in transcript.text
    assert "Transcript: Episode 12" not in transcript.text  # the <title> is not spoken


def test_general_html_becomes_paragraphs_with_speakers():
    assert rows(load("article.html")) == [
        (None, None, "", "Full transcript"),
        (None, None, "Host", "Hello and welcome to the programme."),
        (None, None, "Guest", "Thanks for having me. It's great to be here."),
        (None, None, "Host", "Let's begin with the history of Unix."),
        (None, None, "Host", "Bullet points become text too."),
    ]


def test_html_with_an_unclosed_head_still_has_text():
    transcript = parse_transcript("<html><head><title>T</title><body><p>Ann: hello</p>")
    assert rows(transcript) == [(None, None, "Ann", "hello")]


# --------------------------------------------------------------------------- plain text


def test_text_with_time_and_speaker_markers():
    transcript = load("timed.txt")
    assert transcript.format == "text"
    assert rows(transcript) == [
        (None, None, "", "Episode 9 transcript"),
        (0.0, None, "Nora", "Good morning, everyone."),
        (
            7.0,
            None,
            "Sam",
            "Morning! Ready to talk about compilers? This line continues Sam's turn.",
        ),
        (75.0, None, "Nora", "Absolutely."),
        (3723.0, None, "Sam", "We are an hour in."),
        (750.5, None, "Sam", "Time only, speaker carries on."),
        (None, None, "Nora", "A speaker alone on a line introduces the next words."),
    ]


def test_one_turn_per_line_as_from_stdin():
    data = "Alice: Hello there.\nBob Smith: Hi Alice!\nAlice: Shall we start?\n"
    transcript = parse_transcript(data)
    assert transcript.format == "text"
    assert rows(transcript) == [
        (None, None, "Alice", "Hello there."),
        (None, None, "Bob Smith", "Hi Alice!"),
        (None, None, "Alice", "Shall we start?"),
    ]


def test_words_like_note_are_not_speakers():
    transcript = load("turns.txt")
    assert [s.speaker for s in transcript.segments] == [
        "Interviewer",
        "Grace Hopper",
        "Interviewer",
        "Grace Hopper",
    ]
    assert transcript.segments[-1].text.endswith("Note: this is not a speaker line but a note.")


def test_prose_without_markers_joins_wrapped_lines_into_paragraphs():
    transcript = load("prose.txt")
    assert [s.text[:30] for s in transcript.segments] == [
        "This transcript has no markers",
        "A second paragraph starts afte",
    ]
    assert all(s.start is None and s.speaker == "" for s in transcript.segments)


def test_very_long_unmarked_text_still_splits():
    data = "\n".join(["word " * 30] * 100)
    transcript = parse_transcript(data, content_type="text/plain")
    assert len(transcript.segments) > 10
    assert transcript.words == 3000


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("content_type", "filename", "text", "expected"),
    [
        ("text/vtt", "", "anything", "vtt"),
        ("text/vtt; charset=utf-8", "x.srt", "anything", "vtt"),
        ("application/x-subrip", "", "anything", "srt"),
        ("application/srt", "", "anything", "srt"),
        ("text/srt", "", "anything", "srt"),
        ("application/json", "", "anything", "json"),
        ("text/html", "", "anything", "html"),
        ("text/plain", "", "Alice: hi", "text"),
        # Caption files served as text/plain are still read as what they are.
        ("text/plain", "", "WEBVTT\n\n00:01.000 --> 00:02.000\nhi", "vtt"),
        ("text/plain", "", "1\n00:00:01,000 --> 00:00:02,000\nhi", "srt"),
        ("", "episode.vtt", "anything", "vtt"),
        ("", "https://cdn.example.com/t/episode.srt?sig=abc", "anything", "srt"),
        ("application/octet-stream", "captions.SBV", "anything", "sbv"),
        ("", "notes.htm", "anything", "html"),
        ("", "notes.txt", "anything", "text"),
        ("", "", "WEBVTT\n", "vtt"),
        ("", "", '  {"segments": []}', "json"),
        ("", "", "<html><body><p>x</p></body></html>", "html"),
        ("", "", "<cite>A:</cite><time>0:00</time><p>x</p>", "html"),
        ("", "", "0:00:01.000,0:00:02.000\nhi", "sbv"),
        ("", "", "00:00:01,000 --> 00:00:02,000\nhi", "srt"),
        ("", "", "Speaker: words", "text"),
        ("", "", "[00:00:01] Ann: a bracket first is still text", "text"),
        ("text/plain", "", "[00:01] Ann: hi", "text"),
        ("", "", '[{"body": "a list of segments"}]', "json"),
    ],
)
def test_detect_format(content_type, filename, text, expected):
    assert detect_format(text, content_type=content_type, filename=filename) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty transcript"),
        ("   \n\n\t", "empty transcript"),
        (b"\xef\xbb\xbf\r\n", "empty transcript"),
    ],
)
def test_empty_input(data, message):
    with pytest.raises(TranscriptError, match=message) as caught:
        parse_transcript(data)
    assert isinstance(caught.value, ParseError)


def test_undecodable_bytes_do_not_crash():
    data = "Ren\xe9: caf\xe9 au lait\n".encode("latin-1")
    (segment,) = parse_transcript(data).segments
    assert (segment.speaker, segment.text) == ("René", "café au lait")


def test_utf16_with_bom():
    data = "WEBVTT\n\n00:01.000 --> 00:02.000\nhéllo\n".encode("utf-16")
    assert parse_transcript(data).segments[0].text == "héllo"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("00:00:01.500", 1.5),
        ("01:02:03,004", 3723.004),
        ("02:03.5", 123.5),
        ("0:00:13.489", 13.489),
        ("100:00:00.000", 360000.0),
        ("00:61.000", None),
        ("9" * 5000 + ":00:00.000", None),
        ("1000:00:00.000", None),
        ("1:60:00", None),
        ("00:0x.500", None),
        ("", None),
    ],
)
def test_parse_timestamp(value, seconds):
    assert parse_timestamp(value) == seconds


# --------------------------------------------------------------------------- choosing


def link(url: str, type: str = "", language: str = "", rel: str = "") -> TranscriptLink:
    return TranscriptLink(url=url, type=type, language=language, rel=rel)


def test_choose_prefers_language_then_richest_format():
    links = [
        link("https://x/t.txt", "text/plain", "en"),
        link("https://x/t.vtt", "text/vtt", "es", "captions"),
        link("https://x/t.srt", "application/x-subrip", "en"),
        link("https://x/t.html", "text/html", "en"),
        link("https://x/t.json", "application/json", "es"),
    ]
    assert choose_transcript(links, language="en").url == "https://x/t.srt"
    assert choose_transcript(links, language="es").url == "https://x/t.json"
    assert choose_transcript(links, language="EN-us").url == "https://x/t.srt"
    # Nothing in the wanted language: the richest other one still beats nothing.
    assert choose_transcript(links, language="de").url == "https://x/t.json"


def test_choose_treats_unlabelled_links_as_the_episode_language():
    links = [
        link("https://x/fr.json", "application/json", "fr"),
        link("https://x/plain.vtt", "text/vtt"),
    ]
    assert choose_transcript(links, language="en").url == "https://x/plain.vtt"
    assert choose_transcript(links, language="fr").url == "https://x/fr.json"


def test_choose_uses_the_extension_when_the_type_is_missing_and_keeps_order_on_ties():
    links = [link("https://x/a.txt"), link("https://x/b.srt?x=1"), link("https://x/c.srt")]
    assert choose_transcript(links, language="en").url == "https://x/b.srt?x=1"


def test_choose_with_nothing_usable():
    assert choose_transcript([], language="en") is None
    assert choose_transcript([link("  ")], language="en") is None


# --------------------------------------------------------------------------- writers


def test_vtt_round_trip_keeps_times_speakers_and_text():
    original = load("full.vtt")
    written = segments_to_vtt(original.segments)
    assert written.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.500\n<v Ada Lovelace>")
    assert rows(parse_transcript(written)) == rows(original)


def test_srt_round_trip_keeps_times_speakers_and_text():
    original = load("segments.json")
    written = segments_to_srt(original.segments)
    assert (
        "1\n00:00:00,000 --> 00:00:04,200\nMia: Let's talk about Rust in the kernel.\n" in written
    )
    reread = parse_transcript(written, content_type="application/x-subrip")
    assert [(s.start, s.speaker, s.text) for s in reread.segments] == [
        (s.start, s.speaker, s.text) for s in original.segments
    ]


def test_writers_escape_cue_syntax():
    hostile = [
        Segment(0.0, 1.0, "Eve<b>", "a --> b <script>alert(1)</script> & c\n\nsecond"),
        Segment(1.0, 2.0, "Mallory>", "x ---> y"),
    ]
    vtt = segments_to_vtt(hostile)
    body = vtt.split("\n", 2)[2]
    assert body.count("-->") == 2  # only the two timing lines
    assert "<script" not in vtt and "<b>" not in vtt
    assert "<v Eve&lt;b&gt;>a --&gt; b &lt;script&gt;" in vtt
    assert [s.text for s in parse_transcript(vtt).segments] == [
        "a --> b <script>alert(1)</script> & c second",
        "x ---> y",
    ]
    srt = segments_to_srt(hostile)
    assert srt.count("-->") == 2 and "<" not in srt
    reread = parse_transcript(srt, content_type="application/x-subrip")
    assert len(reread.segments) == 2


def test_writers_fill_in_missing_times():
    segments = [
        Segment(None, None, "", "No times at all in this one."),
        Segment(10.0, None, "A", "Starts at ten."),
        Segment(12.0, 11.0, "", "Ends before it starts."),
        Segment(None, None, "", "   "),
    ]
    vtt = segments_to_vtt(segments)
    timings = [line for line in vtt.splitlines() if "-->" in line]
    assert timings == [
        "00:00:00.000 --> 00:00:10.000",
        "00:00:10.000 --> 00:00:12.000",
        "00:00:12.000 --> 00:00:12.001",
    ]
    reread = parse_transcript(vtt)
    assert len(reread.segments) == 3
    assert_sane(reread)


def test_writers_with_no_segments():
    assert segments_to_vtt([]) == "WEBVTT\n"
    assert segments_to_srt([]) == ""


def test_a_speakers_role_in_parentheses_stays_with_the_name():
    transcript = parse_transcript(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nJane Doe (Guest): We shipped it last week.\n\n"
        "00:00:04.000 --> 00:00:08.000\nMax (Acme, CTO): And it held up.\n\n"
        "00:00:08.000 --> 00:00:12.000\nNote (aside): this line has no speaker.\n",
        content_type="text/vtt",
    )
    assert [(s.speaker, s.text) for s in transcript.segments] == [
        ("Jane Doe (Guest)", "We shipped it last week."),
        ("Max (Acme, CTO)", "And it held up."),
        # Not a speaker: the line is kept whole, and Max goes on talking.
        ("Max (Acme, CTO)", "Note (aside): this line has no speaker."),
    ]
