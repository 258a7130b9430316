"""A fake of the three YouTube endpoints youtube-transcript-api talks to, on 127.0.0.1.

    GET  /watch?v=ID                   an HTML page carrying "INNERTUBE_API_KEY":"k"
    POST /youtubei/v1/player?key=k     the player JSON: playability and caption tracks
    GET  /api/timedtext?v=ID&lang=..   one track's captions as timedtext XML

The library is pointed here through settings.YOUTUBE_BASE_URL (our GuardedSession
rewrites https://www.youtube.com to it). A track's baseUrl can name this server or
https://www.youtube.com itself, as the real player JSON does, to prove the rewrite
also covers the caption download.
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import quoteattr

API_KEY = "k"


@dataclass(frozen=True)
class Track:
    language: str
    generated: bool = False
    # True: the baseUrl names https://www.youtube.com, as YouTube's own answer does.
    youtube_url: bool = False

    @property
    def label(self) -> str:
        return f"{'generated' if self.generated else 'manual'} {self.language}"


def timedtext(track: Track) -> bytes:
    """Captions whose words say which track they came from."""
    cues = [
        (0.5, 2.1, "Hello"),
        (2.6, 3.0, f"from the {track.label} track"),
        (6.0, 1.5, "Q&amp;A at the end"),
    ]
    body = "".join(
        f"<text start={quoteattr(str(s))} dur={quoteattr(str(d))}>{t}</text>" for s, d, t in cues
    )
    return f'<?xml version="1.0" encoding="utf-8" ?><transcript>{body}</transcript>'.encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
        owner = self.server.owner
        split = urlsplit(self.path)
        query = parse_qs(split.query)
        owner.record("GET", self.path)
        if split.path == "/watch":
            page = (
                "<html><head><script>var ytcfg = {"
                f'"INNERTUBE_API_KEY":"{API_KEY}","VIDEO_ID":"{query.get("v", [""])[0]}"'
                "};</script></head><body>watch page</body></html>"
            )
            self._send(200, page.encode(), "text/html; charset=utf-8")
            return
        if split.path == "/api/timedtext":
            language = query.get("lang", [""])[0]
            generated = query.get("kind", [""])[0] == "asr"
            for track in owner.tracks:
                if track.language == language and track.generated == generated:
                    self._send(200, timedtext(track), "text/xml; charset=utf-8")
                    return
        self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:  # noqa: N802
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        owner.record("POST", self.path)
        split = urlsplit(self.path)
        if split.path != "/youtubei/v1/player" or parse_qs(split.query).get("key") != [API_KEY]:
            self._send(404, b"not found", "text/plain")
            return
        video_id = str(body.get("videoId") or "")
        player: dict = {"playabilityStatus": {"status": "OK"}, "videoDetails": {}}
        if not owner.captions_disabled:
            player["captions"] = {
                "playerCaptionsTracklistRenderer": {
                    "captionTracks": [owner.track_json(t, video_id) for t in owner.tracks],
                    "translationLanguages": [],
                }
            }
        self._send(200, json.dumps(player).encode(), "application/json")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        with contextlib.suppress(ConnectionError):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: FakeYouTube


class FakeYouTube:
    """A started fake (use as a context manager); `base_url` is what YOUTUBE_BASE_URL takes."""

    def __init__(self, tracks: list[Track] | None = None, *, captions_disabled: bool = False):
        self.tracks = list(tracks or [])
        self.captions_disabled = captions_disabled
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def record(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((method, path))

    def track_json(self, track: Track, video_id: str) -> dict:
        query = {"v": video_id, "lang": track.language}
        if track.generated:
            query["kind"] = "asr"
        base = "https://www.youtube.com" if track.youtube_url else self.base_url
        entry = {
            "baseUrl": f"{base}/api/timedtext?{urlencode(query)}",
            "name": {"runs": [{"text": track.label}]},
            "languageCode": track.language,
            "isTranslatable": False,
        }
        if track.generated:
            entry["kind"] = "asr"
        return entry

    @property
    def caption_downloads(self) -> list[str]:
        return [path for method, path in self.requests if path.startswith("/api/timedtext")]

    def __enter__(self) -> FakeYouTube:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
