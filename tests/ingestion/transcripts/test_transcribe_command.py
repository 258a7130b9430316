"""`manage.py transcribe --article ID | --pending`: the chain now, with a progress bar.

Exit status: 0 when every article got a transcript, 1 when some are left without
one (listed on stderr), 2 for unusable input.
"""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command

from articles.models import Article
from ingestion.models import Transcript
from tests.ingestion.transcripts.conftest import SHOW_NOTES, make_episode, serve_audio

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    """Captured output that says it is a terminal, as an operator's shell is."""

    def isatty(self) -> bool:
        return True


def transcribe(*args: str, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    try:
        call_command("transcribe", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_one_article_is_transcribed_and_the_origin_printed(media):
    media.routes["/t.vtt"] = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello from the feed.\n"
    article = make_episode(transcript_links=[{"url": media.url("/t.vtt"), "type": "text/vtt"}])

    code, out, err = transcribe("--article", str(article.pk))

    assert code == 0, err
    assert f"{article.pk} {article.slug}: Transcript published with the episode, 4 words" in out
    assert out.rstrip().endswith("1 of 1 articles transcribed")
    assert Transcript.objects.get(article=article).origin == Transcript.Origin.FEED


def test_pending_runs_every_waiting_article_and_exits_1_when_some_are_left():
    notes = make_episode(description_html=SHOW_NOTES)
    bare = make_episode(status=Article.Status.NEEDS_TRANSCRIPT, description_html="<p>Hi.</p>")
    done = make_episode(status=Article.Status.PUBLISHED)  # not waiting: left alone

    code, out, err = transcribe("--pending")

    assert code == 1
    assert f"{notes.pk} {notes.slug}: Show notes (no transcript)" in out
    assert "1 of 2 articles transcribed" in out
    assert f"{bare.pk} {bare.slug}: feed: the feed announces no transcript" in err
    assert "description: show notes too short" in err
    bare.refresh_from_db()
    assert bare.status == Article.Status.NEEDS_TRANSCRIPT
    assert not Transcript.objects.filter(article=done).exists()


def test_pending_with_nothing_waiting_exits_0():
    make_episode(status=Article.Status.PUBLISHED)
    code, out, _ = transcribe("--pending")
    assert code == 0
    assert "0 of 0 articles transcribed" in out


def test_a_terminal_gets_a_progress_bar_and_a_pipe_does_not():
    for _ in range(2):
        make_episode(description_html=SHOW_NOTES)
    code, _, shown = transcribe("--pending", stderr=Terminal())
    assert code == 0
    assert "transcripts: 100%" in shown and "2/2" in shown

    make_episode(description_html=SHOW_NOTES)
    code, _, piped = transcribe("--pending")
    assert code == 0
    assert "transcripts:" not in piped


def test_a_transient_failure_is_reported_as_will_retry(media, fake_stt, short_audio):
    fake_stt.fail(500)
    article = make_episode(audio_url=serve_audio(media, short_audio))

    code, out, err = transcribe("--article", str(article.pk))

    assert code == 1
    assert f"{article.pk} {article.slug}: will retry: speech-to-text failed after 3 tries" in err
    article.refresh_from_db()
    assert article.status == Article.Status.NEEDS_TRANSCRIPT
    assert article.status_code == Article.Reason.RETRY_LATER


def test_skip_passes_over_a_step(media, fake_stt, short_audio):
    article = make_episode(audio_url=serve_audio(media, short_audio), description_html=SHOW_NOTES)

    code, out, _ = transcribe("--article", str(article.pk), "--skip", "stt")

    assert code == 0
    transcript = Transcript.objects.get(article=article)
    assert transcript.origin == Transcript.Origin.DESCRIPTION
    assert {"step": "stt", "outcome": "skipped", "reason": "not requested"}.items() <= next(
        p for p in transcript.provenance if p["step"] == "stt"
    ).items()
    assert fake_stt.uploads == []


def test_a_missing_ffmpeg_is_said_at_start(settings, tmp_path, monkeypatch):
    settings.STT_BASE_URL = "http://127.0.0.1:9/v1"
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setitem(os.environ, "PATH", str(empty))

    _, _, err = transcribe("--pending")

    assert err.startswith("warning: STT_BASE_URL is set but ffmpeg is not installed")


def test_an_unknown_article_is_unusable_input(capsys):
    code, _, _ = transcribe("--article", "999999")
    assert code == 2
    assert capsys.readouterr().err.strip() == "error: no article with id 999999"
