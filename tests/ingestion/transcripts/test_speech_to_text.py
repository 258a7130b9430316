"""Speech-to-text against a fake OpenAI-compatible server on 127.0.0.1, over real HTTP.

The episode is ~3.7 minutes of tones and silences made by ffmpeg, served by a local
server as the enclosure; a small upload limit makes the step cut it into four
pieces. The fake answers verbose_json timed from each piece's own start (measured
with ffprobe on the uploaded bytes), so the joined transcript is right only if the
step added each piece's offset. Then every way it can go wrong must end in a clear,
visible state with nothing lost.
"""

from __future__ import annotations

import os

import pytest

from articles import services as articles_services
from articles.budgets import STT_SECONDS, budget_charge
from articles.models import Article
from articles.transcript_data import Segment
from ingestion import services as ingestion_services
from ingestion import stt
from ingestion.models import Transcript
from ingestion.provenance import EpisodeInfo, TransientTranscriptError
from tests.ingestion.transcripts.conftest import (
    LONG_SILENCES,
    SHOW_NOTES,
    make_episode,
    serve_audio,
    stt_leftovers,
)

pytestmark = pytest.mark.django_db

# 0.3 MiB at the 32 kbit/s the step re-encodes to: pieces of at most ~71 s.
SMALL_UPLOAD_MB = 0.3


def in_a_silence(seconds: float, slack: float = 0.2) -> bool:
    return any(start - slack <= seconds <= end + slack for start, end in LONG_SILENCES)


def test_a_long_episode_is_cut_at_silences_and_its_offsets_are_joined(
    settings, media, fake_stt, long_audio
):
    settings.STT_MAX_UPLOAD_MB = SMALL_UPLOAD_MB
    article = make_episode(audio_url=serve_audio(media, long_audio), language="en")

    transcript = ingestion_services.transcript_fetch(article=article)

    # Cut into pieces under the upload limit, each sent once, as the client should.
    uploads = fake_stt.uploads
    assert len(uploads) >= 3
    for upload in uploads:
        assert upload.size < SMALL_UPLOAD_MB * 1024 * 1024
        assert upload.fields["model"] == "fake-whisper"
        assert upload.fields["response_format"] == "verbose_json"
        assert upload.fields["language"] == "en"
        assert upload.authorization == "Bearer test-key"
    assert sum(fake_stt.durations) == pytest.approx(long_audio.seconds, abs=1.5)

    segments = transcript.segments
    starts = [s["start"] for s in segments]
    ends = [s["end"] for s in segments]
    # Every segment the fake returned is there, in order, none overlapping the next.
    assert len(segments) == sum(len(u.segments) for u in uploads)
    assert starts == sorted(starts)
    assert all(a["end"] <= b["start"] + 0.1 for a, b in zip(segments, segments[1:], strict=False))
    assert ends[-1] == pytest.approx(long_audio.seconds, abs=1.0)

    # Each piece's segments moved by that piece's offset: its first segment starts at
    # the cut, and the cuts are where the audio is silent, not at the size limit.
    offsets, index = [], 0
    for upload in uploads:
        first = segments[index]
        assert first["text"] == upload.segments[0]["text"]
        offsets.append(first["start"])
        for local, joined in zip(upload.segments, segments[index:], strict=False):
            assert joined["start"] == pytest.approx(local["start"] + first["start"], abs=0.01)
        index += len(upload.segments)
    assert offsets[0] == 0.0
    for previous, offset, duration in zip(offsets, offsets[1:], fake_stt.durations, strict=False):
        assert in_a_silence(offset), f"cut at {offset} s is not in a silence"
        assert offset == pytest.approx(previous + duration, abs=0.5)

    assert transcript.origin == Transcript.Origin.STT and transcript.format == "stt"
    assert f"{len(uploads)} pieces, 3.7 minutes" in transcript.provenance[-1]["reason"]
    assert stt_leftovers() == []


def test_the_cut_planner_prefers_a_silence_near_the_limit():
    quiet = [26.5, 54.5, 82.5, 110.5]
    assert stt.plan_cuts(130, 70, quiet) == [54.5, 110.5]
    # No silence in the last third of the window: cut at the limit.
    assert stt.plan_cuts(150, 70, [10.0]) == [70, 140]
    assert stt.plan_cuts(60, 70, quiet) == []


def test_a_500_is_retried_then_left_for_a_later_try_with_nothing_lost(
    settings, media, fake_stt, short_audio
):
    settings.STT_MAX_UPLOAD_MB = 0.02  # pieces of 5 s at most: four of them
    fake_stt.fail(500, after=2)  # two pieces go through, the third fails every time
    article = make_episode(audio_url=serve_audio(media, short_audio), description_html=SHOW_NOTES)

    with pytest.raises(TransientTranscriptError, match="after 3 tries: the server answered 500"):
        ingestion_services.transcript_fetch(article=article)

    assert len(fake_stt.uploads) == 2 + stt.ATTEMPTS
    article.refresh_from_db()
    assert article.status == Article.Status.NEEDS_TRANSCRIPT
    assert article.status_code == Article.Reason.RETRY_LATER
    assert article.status_reason.startswith("speech-to-text failed after 3 tries")
    # No half transcript, and no fallback to the show notes for a passing failure.
    assert not Transcript.objects.filter(article=article).exists()
    assert stt_leftovers() == []


def test_a_failed_new_attempt_keeps_the_transcript_an_article_already_has(
    media, fake_stt, short_audio
):
    article = make_episode(audio_url=serve_audio(media, short_audio), status="published")
    ingestion_services.transcript_store(
        article=article,
        origin=Transcript.Origin.FEED,
        segments=[Segment(start=0.0, end=2.0, speaker="", text="Old words.")],
        format="vtt",
    )
    articles_services.article_transition(article=article, to=Article.Status.PUBLISHED)
    fake_stt.fail(503)

    with pytest.raises(TransientTranscriptError):
        ingestion_services.transcript_fetch(
            article=article, skip=("feed", "captions", "description")
        )

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED  # still on the site
    assert article.status_code == Article.Reason.TRANSCRIPT_KEPT
    assert article.transcript.text == "Old words."


def test_a_server_slower_than_stt_timeout_ends_in_a_clear_retry_state(
    settings, media, fake_stt, short_audio
):
    settings.STT_TIMEOUT = 0.3
    fake_stt.delay = 1.5
    article = make_episode(audio_url=serve_audio(media, short_audio))

    with pytest.raises(TransientTranscriptError, match=r"timed out \(STT_TIMEOUT=0.3 s\)"):
        ingestion_services.transcript_fetch(article=article)

    assert fake_stt.wait_for_hits(stt.ATTEMPTS) == stt.ATTEMPTS
    article.refresh_from_db()
    assert article.status == Article.Status.NEEDS_TRANSCRIPT
    assert article.status_code == Article.Reason.RETRY_LATER
    assert "timed out" in article.status_reason
    assert not Transcript.objects.filter(article=article).exists()
    assert stt_leftovers() == []


def test_audio_over_stt_max_audio_mb_fails_the_step_and_the_chain_goes_on(
    settings, media, fake_stt, short_audio
):
    settings.STT_MAX_AUDIO_MB = 0.01  # ~10 kB; the enclosure is ~150 kB
    article = make_episode(audio_url=serve_audio(media, short_audio), description_html=SHOW_NOTES)

    transcript = ingestion_services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.DESCRIPTION
    stt_step = next(p for p in transcript.provenance if p["step"] == "stt")
    assert stt_step["outcome"] == "failed"
    assert stt_step["reason"].startswith("audio too large")
    assert fake_stt.uploads == []
    assert stt_leftovers() == []


def test_a_spent_daily_budget_pauses_the_episode_until_tomorrow(
    settings, media, fake_stt, short_audio
):
    settings.STT_DAILY_MINUTES = 1
    url = serve_audio(media, short_audio)
    first = make_episode(audio_url=url, duration_seconds=None)
    assert ingestion_services.transcript_fetch(article=first).origin == Transcript.Origin.STT
    assert stt.minutes_spent_today() == pytest.approx(short_audio.seconds / 60, abs=0.05)

    # Three more episodes' worth has been sent today: the fourth does not fit.
    budget_charge(kind=STT_SECONDS, amount=3 * round(short_audio.seconds))
    second = make_episode(audio_url=url, description_html=SHOW_NOTES, duration_seconds=None)
    uploads_before = len(fake_stt.uploads)

    assert ingestion_services.transcript_fetch(article=second) is None

    second.refresh_from_db()
    assert second.status == Article.Status.NEEDS_TRANSCRIPT
    assert second.status_code == Article.Reason.BUDGET
    assert second.status_reason.startswith("daily speech-to-text budget spent")
    # Paused, not failed: show notes are not used, and nothing was sent.
    assert not Transcript.objects.filter(article=second).exists()
    assert len(fake_stt.uploads) == uploads_before
    assert stt_leftovers() == []


def test_the_feeds_duration_saves_the_download_when_the_budget_is_spent(
    settings, media, fake_stt, short_audio
):
    settings.STT_DAILY_MINUTES = 10
    budget_charge(kind=STT_SECONDS, amount=9 * 60)
    article = make_episode(audio_url=serve_audio(media, short_audio), duration_seconds=180)

    assert ingestion_services.transcript_fetch(article=article) is None

    article.refresh_from_db()
    assert article.status_code == Article.Reason.BUDGET
    assert article.status_reason.startswith("daily speech-to-text budget spent")
    assert media.hits("/episode.mp3") == 0


def test_an_episode_longer_than_the_whole_budget_fails_the_step_rather_than_wait_forever(
    settings, media, fake_stt, short_audio
):
    settings.STT_DAILY_MINUTES = 2
    article = make_episode(
        audio_url=serve_audio(media, short_audio),
        duration_seconds=3 * 60 * 60,
        description_html=SHOW_NOTES,
    )

    transcript = ingestion_services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.DESCRIPTION
    stt_step = next(p for p in transcript.provenance if p["step"] == "stt")
    assert "longer than the whole daily speech-to-text budget" in stt_step["reason"]


def test_missing_ffmpeg_is_a_clear_message(
    settings, media, fake_stt, short_audio, tmp_path, monkeypatch
):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setitem(os.environ, "PATH", str(empty))
    article = make_episode(audio_url=serve_audio(media, short_audio))

    assert stt.check_ffmpeg() == (
        "STT_BASE_URL is set but ffmpeg is not installed: speech-to-text will fail"
    )
    assert ingestion_services.transcript_fetch(article=article) is None

    article.refresh_from_db()
    assert "stt: ffmpeg is not installed (apt-get install ffmpeg)" in article.status_reason
    assert media.hits("/episode.mp3") == 0 and fake_stt.uploads == []


def test_an_enclosure_that_is_not_audio_fails_the_step_with_ffmpegs_reason(media, fake_stt):
    media.routes["/episode.mp3"] = b"<html>this is a web page, not audio</html>"
    article = make_episode(audio_url=media.url("/episode.mp3"), description_html=SHOW_NOTES)

    transcript = ingestion_services.transcript_fetch(article=article)

    assert transcript.origin == Transcript.Origin.DESCRIPTION
    stt_step = next(p for p in transcript.provenance if p["step"] == "stt")
    assert stt_step["reason"].startswith("ffmpeg failed:")
    assert stt_leftovers() == []


def test_a_refused_upload_is_not_retried(media, fake_stt, short_audio):
    fake_stt.fail(400)
    episode = EpisodeInfo(
        title="t", language="en", transcript_links=[], audio_url=serve_audio(media, short_audio)
    )
    provenance: list[dict] = []

    assert stt.transcribe_episode(episode, provenance) is None

    assert len(fake_stt.uploads) == 1
    assert provenance[-1]["reason"].startswith("the speech-to-text server refused the audio: 400")


def test_the_task_leaves_retries_to_celery_on_a_worker_and_gives_up_in_process(
    media, fake_stt, short_audio
):
    from ingestion.tasks import fetch_transcript

    fake_stt.fail(500)
    article = make_episode(audio_url=serve_audio(media, short_audio))

    # On a worker the error reaches Celery's autoretry_for (retried with back-off)...
    fetch_transcript.push_request(is_eager=False)
    try:
        with pytest.raises(TransientTranscriptError):
            fetch_transcript._orig_run(article.pk)
    finally:
        fetch_transcript.pop_request()
    # ...in-process (no broker) it is recorded and the caller goes on.
    assert fetch_transcript.apply(args=[article.pk]).get() is False
    article.refresh_from_db()
    assert article.status_code == Article.Reason.RETRY_LATER
