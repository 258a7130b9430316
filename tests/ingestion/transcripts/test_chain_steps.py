"""The provenance chain picks the right step, and records why the earlier ones were passed.

Each case runs the real chain through services.transcript_fetch, against local
servers: a VTT file for the feed's transcript, the fake YouTube for captions, the
fake transcription server for speech-to-text.
"""

from __future__ import annotations

import pytest

from articles.models import Article
from ingestion import services
from ingestion.models import Transcript
from ingestion.provenance import EpisodeInfo, NoTranscript, find_transcript
from tests.ingestion.transcripts.conftest import SHOW_NOTES, make_episode, serve_audio
from tests.ingestion.transcripts.fake_youtube import FakeYouTube, Track

pytestmark = pytest.mark.django_db

VTT = b"""WEBVTT

00:00:00.000 --> 00:00:04.000
<v Alice>Welcome to the show about open models.

00:00:04.000 --> 00:00:09.500
<v Bob>Today we look at the licence and the benchmarks.
"""


def steps(transcript: Transcript) -> list[tuple[str, str]]:
    return [(p["step"], p["outcome"]) for p in transcript.provenance]


def reasons(transcript: Transcript) -> dict[str, str]:
    return {p["step"]: p["reason"] for p in transcript.provenance}


@pytest.fixture
def youtube(settings):
    with FakeYouTube([Track("en"), Track("en", generated=True)]) as fake:
        settings.YOUTUBE_BASE_URL = fake.base_url
        yield fake


def test_the_feeds_own_transcript_wins_when_there_is_one(
    settings, media, youtube, fake_stt, short_audio
):
    settings.YOUTUBE_CAPTIONS = True
    media.routes["/t.vtt"] = VTT
    article = make_episode(
        transcript_links=[{"url": media.url("/t.vtt"), "type": "text/vtt", "language": "en"}],
        video_id="vid12345678",
        audio_url=serve_audio(media, short_audio),
        description_html=SHOW_NOTES,
    )

    transcript = services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.FEED
    assert transcript.format == "vtt" and transcript.source_url == media.url("/t.vtt")
    assert steps(transcript) == [("feed", "used")]
    assert transcript.segments[1]["speaker"] == "Bob"
    # Nothing after the first step that worked was even asked.
    assert youtube.requests == [] and fake_stt.uploads == []
    article.refresh_from_db()
    assert article.status == Article.Status.TRANSCRIBED


def test_a_video_without_a_feed_transcript_gets_its_captions(
    settings, media, youtube, fake_stt, short_audio
):
    settings.YOUTUBE_CAPTIONS = True
    article = make_episode(
        video_id="vid12345678",
        audio_url=serve_audio(media, short_audio),
        description_html=SHOW_NOTES,
    )

    transcript = services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.CAPTIONS
    assert steps(transcript) == [("feed", "skipped"), ("captions", "used")]
    assert reasons(transcript) == {
        "feed": "the feed announces no transcript",
        "captions": "manual captions in en",
    }
    assert transcript.source_url == "https://www.youtube.com/watch?v=vid12345678"
    assert fake_stt.uploads == []
    for entry in transcript.provenance:
        assert entry["at"]  # when each step ran


def test_audio_only_with_speech_to_text_configured_is_transcribed(media, fake_stt, short_audio):
    article = make_episode(audio_url=serve_audio(media, short_audio), description_html=SHOW_NOTES)

    transcript = services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.STT
    assert steps(transcript) == [("feed", "skipped"), ("captions", "skipped"), ("stt", "used")]
    assert reasons(transcript)["captions"] == "not a video"
    assert "fake-whisper: 1 pieces" in reasons(transcript)["stt"]
    assert transcript.source_url == article.audio_url
    assert len(fake_stt.uploads) == 1


def test_a_video_with_captions_switched_off_says_so_and_goes_on(settings, media, youtube):
    settings.YOUTUBE_CAPTIONS = False
    article = make_episode(video_id="vid12345678", description_html=SHOW_NOTES)

    transcript = services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.DESCRIPTION
    assert reasons(transcript)["captions"] == "YOUTUBE_CAPTIONS is off"
    assert youtube.requests == []


def test_nothing_else_falls_back_to_long_enough_show_notes(media, short_audio):
    # STT_BASE_URL is empty: the enclosure is there but nobody can transcribe it.
    article = make_episode(audio_url=serve_audio(media, short_audio), description_html=SHOW_NOTES)

    transcript = services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.DESCRIPTION
    assert transcript.format == "text"
    assert steps(transcript) == [
        ("feed", "skipped"),
        ("captions", "skipped"),
        ("stt", "skipped"),
        ("description", "used"),
    ]
    assert reasons(transcript)["stt"] == "speech-to-text is not configured (STT_BASE_URL)"
    assert transcript.segments[0]["start"] is None  # show notes have no timings
    assert "open model release" in transcript.text
    assert media.hits("/episode.mp3") == 0


def test_short_show_notes_leave_a_visible_needs_transcript_with_every_reason():
    article = make_episode(description_html="<p>Short notes.</p>")

    assert services.transcript_fetch(article=article) is None

    article.refresh_from_db()
    assert article.status == Article.Status.NEEDS_TRANSCRIPT
    assert not Transcript.objects.filter(article=article).exists()
    reason = article.status_reason
    for part in (
        "feed: the feed announces no transcript",
        "captions: not a video",
        "stt: no audio enclosure",
        "description: show notes too short to summarise (2 words)",
    ):
        assert part in reason


def test_a_dead_feed_transcript_is_recorded_before_the_next_step(settings, media, youtube):
    settings.YOUTUBE_CAPTIONS = True
    article = make_episode(
        transcript_links=[{"url": media.url("/gone.vtt"), "type": "text/vtt"}],
        video_id="vid12345678",
    )

    transcript = services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.CAPTIONS
    assert steps(transcript)[0] == ("feed", "failed")
    assert "404" in reasons(transcript)["feed"]


def test_skipped_steps_are_recorded_as_not_requested():
    episode = EpisodeInfo(title="t", language="en", transcript_links=[], description_html="")
    with pytest.raises(NoTranscript) as caught:
        find_transcript(episode, skip=("feed", "captions"))
    assert [(p["step"], p["outcome"], p["reason"]) for p in caught.value.provenance][:2] == [
        ("feed", "skipped", "not requested"),
        ("captions", "skipped", "not requested"),
    ]
