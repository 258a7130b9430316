"""Where an episode plays: the one parser of YouTube video ids, for the feeds that
announce videos (ingestion) and the article page's player alike."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def youtube_id_from_url(url: str) -> str:
    """The video id of a youtube.com/watch, youtu.be or /shorts/ URL, else ''."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    candidate = ""
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host == "youtube.com" or host.endswith(".youtube.com"):
        if parts.path == "/watch":
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif parts.path.startswith(("/shorts/", "/live/", "/embed/", "/v/")):
            candidate = parts.path.split("/")[2]
    return candidate if YOUTUBE_ID.match(candidate) else ""
