"""A fake OpenAI-compatible speech-to-text server on 127.0.0.1.

It speaks real HTTP, so the official `openai` client, its multipart upload, its
timeouts and its error handling are exercised for real. POST
/v1/audio/transcriptions takes the multipart upload, measures the uploaded piece's
real duration with ffprobe and answers `verbose_json` whose segments are laid at
fixed offsets *within that piece* (every `segment_seconds`), the way Whisper times
each upload from its own start. The test can then check that the client added each
piece's offset:

    with FakeSTTServer() as server:
        settings.STT_BASE_URL = server.base_url
        ...
        assert [u.duration for u in server.uploads] == ...

`status` makes every answer an error (500 by default after `fail_after` good ones),
`delay` makes the server slow (to provoke client timeouts).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TRANSCRIPTIONS_PATH = "/v1/audio/transcriptions"


@dataclass
class Upload:
    """One request the server received, decoded."""

    fields: dict[str, str]
    filename: str
    size: int
    duration: float | None
    authorization: str
    answered: int = 200
    segments: list[dict[str, Any]] = field(default_factory=list)


def probe_duration(data: bytes, ffprobe: str) -> float | None:
    """The real duration of an audio file, as ffprobe reads it (None if unreadable)."""
    with tempfile.NamedTemporaryFile(suffix=".mp3") as handle:
        handle.write(data)
        handle.flush()
        done = subprocess.run(
            [
                ffprobe,
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "default=noprint_wrappers=1:nokey=1",
                handle.name,
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    try:
        return float(done.stdout.strip())
    except ValueError:
        return None


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], str, bytes]:
    """The form fields, the file's name and the file's bytes of a multipart body."""
    message = BytesParser(policy=policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, str] = {}
    filename, data = "", b""
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition") or ""
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            filename, data = part.get_filename() or "", payload
        else:
            fields[str(name)] = payload.decode("utf-8", "replace")
    return fields, filename, data


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep test output clean

    def do_POST(self) -> None:  # noqa: N802 - name fixed by http.server
        owner = self.server.owner
        with owner.lock:
            owner.hits += 1  # counted on arrival: a client that gave up was still here
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path.split("?")[0] != TRANSCRIPTIONS_PATH:
            self._send(404, {"error": {"message": "not found"}})
            return
        fields, filename, data = parse_multipart(self.headers.get("Content-Type", ""), body)
        upload = Upload(
            fields=fields,
            filename=filename,
            size=len(data),
            duration=probe_duration(data, owner.ffprobe),
            authorization=self.headers.get("Authorization", ""),
        )
        with owner.lock:
            owner.uploads.append(upload)
            good_so_far = sum(1 for u in owner.uploads if u.answered == 200) - 1
            failing = owner.status is not None and good_so_far >= owner.fail_after
            if failing:
                upload.answered = owner.status or 500
        if owner.delay:
            time.sleep(owner.delay)
        if failing:
            self._send(upload.answered, {"error": {"message": "the fake is failing on purpose"}})
            return
        upload.segments = owner.segments_for(upload.duration or 0.0)
        self._send(
            200,
            {
                "task": "transcribe",
                "language": fields.get("language") or "english",
                "duration": upload.duration,
                "text": " ".join(s["text"] for s in upload.segments),
                "segments": upload.segments,
            },
        )

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        # The client may have given up (a timeout test): that is the point, not an error.
        with contextlib.suppress(ConnectionError, TimeoutError):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a deliberately slow answer must not hold up the test's end
    owner: FakeSTTServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on slow answers is expected


class FakeSTTServer:
    """A started server (use as a context manager); `base_url` ends in /v1."""

    def __init__(self, *, segment_seconds: float = 10.0) -> None:
        ffprobe = shutil.which("ffprobe")
        if ffprobe is None:
            raise RuntimeError("the fake speech-to-text server needs ffprobe (Debian's ffmpeg)")
        self.ffprobe = ffprobe
        self.segment_seconds = segment_seconds
        self.uploads: list[Upload] = []
        self.hits = 0
        self.status: int | None = None
        self.fail_after = 0
        self.delay = 0.0
        self.lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def fail(self, status: int = 500, *, after: int = 0) -> None:
        """Answer `status` to every upload after the first `after` good ones."""
        self.status, self.fail_after = status, after

    def segments_for(self, duration: float) -> list[dict[str, Any]]:
        """Segments every `segment_seconds` from the piece's start; the last ends at its end."""
        segments, start, index = [], 0.0, len(self.uploads)
        while start < duration - 0.05:
            end = min(start + self.segment_seconds, duration)
            segments.append(
                {
                    "id": len(segments),
                    "start": round(start, 3),
                    "end": round(end, 3),
                    "text": f"Piece {index} says words from {start:.0f} to {end:.0f} seconds.",
                }
            )
            start = end
        return segments

    def wait_for_hits(self, count: int, timeout: float = 10.0) -> int:
        """The number of requests received, once `count` have arrived (or at `timeout`).

        A client that times out does not wait for the server to read its request; on a
        busy machine the server may get to it a little later.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.hits >= count:
                    break
            time.sleep(0.02)
        with self.lock:
            return self.hits

    @property
    def durations(self) -> list[float]:
        return [u.duration or 0.0 for u in self.uploads if u.answered == 200]

    def __enter__(self) -> FakeSTTServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def write_tones(path: Path, *, tones: int, tone_seconds: float, gap_seconds: float) -> float:
    """An MP3 of `tones` 440 Hz tones separated by silences; returns its nominal length.

    Tones and silences are made by ffmpeg's lavfi sources (sine, anullsrc) and joined
    with the concat filter: a stand-in for speech with pauses, where a good cutter
    should cut.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise RuntimeError("making test audio needs ffmpeg")
    tone_labels = "".join(f"[t{i}]" for i in range(tones))
    gap_labels = [f"[s{i}]" for i in range(tones - 1)]
    graph = f"[0]asplit={tones}{tone_labels}"
    if gap_labels:
        graph += f";[1]atrim=0:{gap_seconds},asplit={len(gap_labels)}{''.join(gap_labels)}"
    order = "".join(
        f"[t{i}]" + (gap_labels[i] if i < len(gap_labels) else "") for i in range(tones)
    )
    graph += f";{order}concat=n={tones + len(gap_labels)}:v=0:a=1"
    subprocess.run(
        [
            ffmpeg,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:sample_rate=22050:duration={tone_seconds}",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=22050:cl=mono",
            "-filter_complex",
            graph,
            "-b:a",
            "64k",
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return tones * tone_seconds + (tones - 1) * gap_seconds
