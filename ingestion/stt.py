"""Speech-to-text through an OpenAI-compatible /v1/audio/transcriptions endpoint.

OpenAI's Whisper API, faster-whisper servers, LocalAI and whisper.cpp's server all
speak it. The enclosure is downloaded through the safe fetcher (its own size cap),
re-encoded by ffmpeg to small mono MP3 and cut into pieces under the endpoint's
upload limit, at silences where there are any; each piece is sent with retries and
the timed segments are joined with their offsets. Temporary audio is always deleted.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from articles.budgets import STT_SECONDS, budget_charge, budget_spent
from articles.transcript_data import Segment
from ingestion.chain import (
    ChainPaused,
    ChainResult,
    EpisodeInfo,
    TransientTranscriptError,
)
from ingestion.chain import note as _note
from ingestion.fetch import FetchError, FetchTooLarge, fetch_to_file

logger = logging.getLogger(__name__)

# Mono 16 kHz at 32 kbit/s: what speech recognisers resample to anyway, and small.
BITRATE = 32_000
BYTES_PER_SECOND = BITRATE / 8
ATTEMPTS = 3
# Seconds before the second try of a piece, doubled for each later one (tests set 0).
RETRY_DELAY = 0.5
# ffmpeg re-encodes an hour of audio in well under a minute; a stuck one must not
# hold a worker for its whole task time limit.
FFMPEG_TIMEOUT = 600


class SttError(Exception):
    """Speech-to-text failed for a reason a retry will not fix."""


def ffmpeg_path() -> str:
    path = shutil.which("ffmpeg")
    if not path:
        raise SttError("ffmpeg is not installed (apt-get install ffmpeg): speech-to-text needs it")
    return path


def check_ffmpeg() -> str | None:
    """A clear message when speech-to-text is configured but ffmpeg is missing."""
    if settings.STT_BASE_URL and not shutil.which("ffmpeg"):
        return "STT_BASE_URL is set but ffmpeg is not installed: speech-to-text will fail"
    return None


# --- Budget ---------------------------------------------------------------------------


def minutes_spent_today() -> float:
    """Audio sent today (UTC), counted in the database (articles/budgets.py)."""
    return budget_spent(kind=STT_SECONDS) / 60


def _charge_seconds(seconds: float) -> None:
    """Count audio the endpoint was sent today (it bills for it, whatever came of it),
    in whole seconds, with one atomic database increment."""
    budget_charge(kind=STT_SECONDS, amount=max(1, round(seconds)))


def _check_budget(needed_minutes: float) -> None:
    limit = settings.STT_DAILY_MINUTES
    if not limit:
        return
    if needed_minutes > limit:
        # Waiting would not help: tomorrow's budget is no larger. Fail the step so the
        # chain goes on (and the editor sees why) instead of waiting forever.
        raise SttError(
            f"the episode ({needed_minutes:.0f} minutes) is longer than the whole daily "
            f"speech-to-text budget (STT_DAILY_MINUTES={limit})"
        )
    spent = minutes_spent_today()
    if spent + needed_minutes > limit:
        raise ChainPaused(
            f"daily speech-to-text budget spent ({spent:.0f} of {limit} minutes used, "
            f"this episode needs {needed_minutes:.0f})"
        )


# --- Audio -----------------------------------------------------------------------------


def _run(args: list[str], timeout: float = FFMPEG_TIMEOUT) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SttError(f"ffmpeg took longer than {timeout:g} s on this audio")
    except OSError as exc:  # removed or not executable since ffmpeg_path() found it
        raise SttError(f"cannot run ffmpeg: {exc}")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise SttError(f"ffmpeg failed: {last}")
    return done.stderr


def audio_duration(path: Path) -> float:
    output = _run([ffmpeg_path(), "-hide_banner", "-i", str(path), "-f", "null", "-"])
    times = re.findall(r"time=(\d+):(\d+):(\d+(?:\.\d+)?)", output)
    if not times:
        match = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", output)
        if not match:
            raise SttError("cannot read the audio's duration")
        times = [match.groups()]
    h, m, s = times[-1]
    return int(h) * 3600 + int(m) * 60 + float(s)


def silences(path: Path) -> list[float]:
    """Midpoints of the silences ffmpeg finds, in seconds."""
    output = _run(
        [
            ffmpeg_path(),
            "-hide_banner",
            "-i",
            str(path),
            "-af",
            "silencedetect=noise=-35dB:d=0.4",
            "-f",
            "null",
            "-",
        ]
    )
    starts = [float(x) for x in re.findall(r"silence_start: (-?\d+(?:\.\d+)?)", output)]
    ends = [float(x) for x in re.findall(r"silence_end: (\d+(?:\.\d+)?)", output)]
    return [(a + b) / 2 for a, b in zip(starts, ends, strict=False)]


def plan_cuts(duration: float, max_piece_seconds: float, quiet: list[float]) -> list[float]:
    """Cut points so that no piece is longer than allowed, at a silence when one is near.

    A silence is used when it falls in the last third of the allowed window; otherwise
    the cut is made at the limit (a word may be split, rarely).
    """
    cuts, start = [], 0.0
    while duration - start > max_piece_seconds:
        limit = start + max_piece_seconds
        window = [q for q in quiet if start + max_piece_seconds * 2 / 3 <= q <= limit]
        cut = window[-1] if window else limit
        cuts.append(cut)
        start = cut
    return cuts


@dataclass
class Piece:
    path: Path
    offset: float


def split_audio(
    source: Path, folder: Path, *, max_upload_bytes: float
) -> tuple[list[Piece], float]:
    normalised = folder / "audio.mp3"
    _run(
        [
            ffmpeg_path(),
            "-hide_banner",
            "-y",
            "-i",
            str(source),
            "-vn",
            "-ac",
            "1",
            "-ar",
            "16000",
            "-b:a",
            str(BITRATE),
            str(normalised),
        ]
    )
    duration = audio_duration(normalised)
    # 10 % headroom for the container's overhead.
    max_seconds = max(5.0, max_upload_bytes * 0.9 / BYTES_PER_SECOND)
    cuts = plan_cuts(duration, max_seconds, silences(normalised) if duration > max_seconds else [])
    bounds = [0.0, *cuts, duration]
    pieces = []
    for index, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        piece = folder / f"piece-{index:03d}.mp3"
        _run(
            [
                ffmpeg_path(),
                "-hide_banner",
                "-y",
                "-i",
                str(normalised),
                "-ss",
                f"{start:.3f}",
                "-to",
                f"{end:.3f}",
                "-c",
                "copy",
                str(piece),
            ]
        )
        pieces.append(Piece(path=piece, offset=start))
    return pieces, duration


# --- The endpoint ---------------------------------------------------------------------


def _client():
    from openai import OpenAI

    # Not through the fetcher's address guard: STT_BASE_URL is the operator's own
    # setting, never a URL from a feed, and is often a server on 127.0.0.1 or the local
    # network, exactly what the guard refuses. The timeout is explicit (STT_TIMEOUT).
    return OpenAI(
        base_url=settings.STT_BASE_URL,
        api_key=settings.STT_API_KEY or "unused",
        timeout=settings.STT_TIMEOUT,
        # Retries are ours (below), so that every failure ends in our own message.
        max_retries=0,
    )


def transcribe_piece(client, piece: Piece, *, language: str) -> list[Segment]:
    import openai

    last_error: Exception | None = None
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(min(RETRY_DELAY * 2 ** (attempt - 1), 8.0))
        try:
            with piece.path.open("rb") as handle:
                options = {"language": language} if language else {}
                answer = client.audio.transcriptions.create(
                    model=settings.STT_MODEL,
                    file=handle,
                    response_format="verbose_json",
                    **options,
                )
            break
        except (
            openai.APITimeoutError,
            openai.APIConnectionError,
            openai.InternalServerError,
            openai.RateLimitError,
        ) as exc:
            last_error = exc
            logger.info("speech-to-text try %d of %s failed: %s", attempt + 1, piece.path, exc)
        except openai.APIStatusError as exc:
            raise SttError(
                f"the speech-to-text server refused the audio: {exc.status_code} {_short(exc)}"
            ) from exc
    else:
        if isinstance(last_error, openai.APITimeoutError):
            why = f"timed out (STT_TIMEOUT={settings.STT_TIMEOUT:g} s)"
        elif isinstance(last_error, openai.APIStatusError):
            why = f"the server answered {last_error.status_code}"
        else:
            why = _short(last_error)
        raise TransientTranscriptError(f"speech-to-text failed after {ATTEMPTS} tries: {why}")
    data = answer.model_dump() if hasattr(answer, "model_dump") else dict(answer)
    rows = data.get("segments") or []
    if not rows and data.get("text"):
        rows = [{"start": 0.0, "end": None, "text": data["text"]}]
    segments = []
    for row in rows:
        text = " ".join(str(row.get("text") or "").split())
        if not text:
            continue
        start = float(row.get("start") or 0.0) + piece.offset
        end = row.get("end")
        segments.append(
            Segment(
                start=round(start, 3),
                end=round(float(end) + piece.offset, 3) if end is not None else None,
                speaker=str(row.get("speaker") or ""),
                text=text,
            )
        )
    return segments


def _short(exc: Exception | None) -> str:
    return " ".join(str(exc).split())[:200] if exc else "unknown error"


def transcribe_file(path: Path, *, language: str, folder: Path) -> tuple[list[Segment], int, float]:
    pieces, duration = split_audio(
        path, folder, max_upload_bytes=settings.STT_MAX_UPLOAD_MB * 1024 * 1024
    )
    _check_budget(duration / 60)
    bounds = [p.offset for p in pieces[1:]] + [duration]
    segments: list[Segment] = []
    with _client() as client:
        for piece, end in zip(pieces, bounds, strict=True):
            segments += transcribe_piece(client, piece, language=language)
            # Charged piece by piece: the endpoint bills what it was sent, even when
            # a later piece fails and the episode is tried again tomorrow.
            _charge_seconds(end - piece.offset)
    return segments, len(pieces), duration


def transcribe_episode(episode: EpisodeInfo, provenance: list[dict]) -> ChainResult | None:
    try:
        if episode.duration_seconds:
            # The feed's duration saves a download when the budget is already spent;
            # the real duration is checked again once the audio is here.
            _check_budget(episode.duration_seconds / 60)
        ffmpeg_path()
    except SttError as exc:
        _note(provenance, "stt", "failed", str(exc))
        return None
    max_bytes = int(settings.STT_MAX_AUDIO_MB * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="newsroom-stt-") as tmp:
        folder = Path(tmp)
        download = folder / "download"
        try:
            fetch_to_file(episode.audio_url, download, max_bytes=max_bytes)
            segments, count, duration = transcribe_file(
                download, language=episode.language, folder=folder
            )
        except FetchTooLarge as exc:
            detail = str(exc).removeprefix("too large: ")
            _note(
                provenance,
                "stt",
                "failed",
                f"audio too large (STT_MAX_AUDIO_MB={settings.STT_MAX_AUDIO_MB:g}): {detail}",
            )
            return None
        except FetchError as exc:
            _note(provenance, "stt", "failed", f"download: {exc}")
            if exc.transient:
                raise TransientTranscriptError(f"audio download: {exc}") from exc
            return None
        except SttError as exc:
            _note(provenance, "stt", "failed", str(exc))
            return None
        except TransientTranscriptError as exc:
            _note(provenance, "stt", "failed", str(exc))
            raise
    if not segments:
        _note(provenance, "stt", "failed", "the speech-to-text server returned no text")
        return None
    _note(
        provenance,
        "stt",
        "used",
        f"{settings.STT_MODEL}: {count} pieces, {duration / 60:.1f} minutes",
    )
    return ChainResult(
        origin="stt",
        format="stt",
        segments=segments,
        language=episode.language,
        source_url=episode.audio_url,
        provenance=provenance,
    )
