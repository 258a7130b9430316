#!/usr/bin/env python3
"""Check the demo corpus: feeds parse, every item has what ingestion needs, and
every transcript is well-formed with increasing timestamps that fit the episode.

Run with the project's virtual environment (needs feedparser):
    python demo/check.py
Exits non-zero and prints the problems if anything is wrong.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import feedparser

HERE = Path(__file__).resolve().parent
TIME = r"(\d{2}):(\d{2}):(\d{2})[.,](\d{3})"
CUE_LINE = re.compile(rf"^{TIME} --> {TIME}$")
NAMESPACES = (
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)

problems: list[str] = []


def fail(msg: str) -> None:
    problems.append(msg)


def seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_duration(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    total = 0
    for p in parts:
        total = total * 60 + p
    return total


def check_json_transcript(path: Path, duration: int | None) -> tuple[int, float]:
    """A Podcasting 2.0 JSON transcript. Return (word count, last segment end)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    segments = document.get("segments") or []
    prev_end, words = -1.0, 0
    for n, seg in enumerate(segments):
        start, end = seg.get("startTime"), seg.get("endTime")
        if not (isinstance(start, float | int) and isinstance(end, float | int)) or end <= start:
            fail(f"{path.name}: segment {n} has bad times {start!r}..{end!r}")
            continue
        if start < prev_end:
            fail(f"{path.name}: segment {n} overlaps or goes back in time")
        if not seg.get("speaker") or not str(seg.get("body", "")).strip():
            fail(f"{path.name}: segment {n} lacks a speaker or a body")
        prev_end = end
        words += len(str(seg.get("body", "")).split())
    if len(segments) < 20:
        fail(f"{path.name}: only {len(segments)} segments")
    if duration is not None and not (0 < duration - prev_end < 60):
        fail(f"{path.name}: last segment ends at {prev_end:.0f}s but duration is {duration}s")
    return words, prev_end


def check_audio(name: str, duration: int | None, index: dict) -> None:
    """The episode's own audio (media/audio/<name>.opus) exists and lasts the episode."""
    path = HERE / "media" / "audio" / f"{name}.opus"
    if not path.is_file():
        fail(f"media/audio/{name}.opus missing (python demo/build.py makes it)")
        return
    if not path.read_bytes().startswith(b"OggS"):
        fail(f"media/audio/{name}.opus is not an Ogg file")
    seconds = index.get(name, {}).get("seconds")
    if not seconds or (duration is not None and seconds < duration):
        fail(f"media/audio/{name}.opus lasts {seconds}s, shorter than the episode ({duration}s)")


def check_transcript(path: Path, duration: int | None) -> tuple[int, float]:
    """Return (word count, last cue end)."""
    if path.suffix == ".json":
        return check_json_transcript(path, duration)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    is_vtt = path.suffix == ".vtt"
    if is_vtt and not text.startswith("WEBVTT"):
        fail(f"{path.name}: missing WEBVTT header")
    blocks = [b for b in re.split(r"\r?\n\r?\n", text.strip()) if b.strip()]
    prev_end = -1.0
    words = 0
    cues = 0
    for block in blocks:
        lines = block.splitlines()
        idx = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if idx is None:
            if not (lines[0].startswith("WEBVTT") or lines[0].startswith("NOTE")):
                fail(f"{path.name}: block without timing: {lines[0][:40]!r}")
            continue
        m = CUE_LINE.match(lines[idx].strip())
        if not m:
            fail(f"{path.name}: bad timing line {lines[idx]!r}")
            continue
        if not is_vtt and "." in lines[idx]:
            fail(f"{path.name}: SRT timing must use commas")
        start, end = seconds(*m.groups()[:4]), seconds(*m.groups()[4:])
        if end <= start:
            fail(f"{path.name}: cue ends before it starts at {lines[idx]}")
        if start < prev_end:
            fail(f"{path.name}: cue overlaps or goes back in time at {lines[idx]}")
        prev_end = end
        body = " ".join(lines[idx + 1 :])
        if not body.strip():
            fail(f"{path.name}: empty cue at {lines[idx]}")
        if "&" in body.replace("&amp;", "").replace("&lt;", "").replace("&gt;", ""):
            fail(f"{path.name}: unescaped & in cue")
        body = re.sub(r"<[^>]+>", "", body)
        if not is_vtt:
            body = re.sub(
                r"^[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2}: ", "", body
            )  # "Speaker Name: " prefix
        words += len(body.split())
        cues += 1
    if cues < 20:
        fail(f"{path.name}: only {cues} cues")
    if duration is not None and not (0 < duration - prev_end < 60):
        fail(f"{path.name}: last cue ends at {prev_end:.0f}s but duration is {duration}s")
    return words, prev_end


def main() -> int:
    sources = json.loads((HERE / "sources.json").read_text(encoding="utf-8"))
    audio_index = json.loads((HERE / "audio.json").read_text(encoding="utf-8"))
    rows = []
    for src in sources:
        for key in (
            "slug",
            "name",
            "kind",
            "feed_file",
            "feed_url",
            "site_url",
            "language",
            "topic",
        ):
            if not src.get(key):
                fail(f"sources.json: {src.get('slug')} lacks {key}")
        feed_path = HERE / "feeds" / src["feed_file"]
        raw = feed_path.read_bytes()
        try:
            ET.fromstring(raw)  # noqa: S314 - our own files, checked for well-formedness
        except ET.ParseError as exc:
            fail(f"{feed_path.name}: not well-formed XML: {exc}")
        parsed = feedparser.parse(raw)
        if parsed.bozo:
            fail(f"{feed_path.name}: feedparser bozo: {parsed.bozo_exception}")
        if not parsed.entries:
            fail(f"{feed_path.name}: no entries")
        if not (HERE / "media" / "art" / f"{src['slug']}.svg").is_file():
            fail(f"media/art/{src['slug']}.svg missing")
        root = ET.fromstring(raw)  # noqa: S314 - our own files
        for entry in parsed.entries:
            label = f"{feed_path.name}: {entry.get('title', '?')[:40]}"
            for key in ("id", "title", "link", "published_parsed"):
                if not entry.get(key):
                    fail(f"{label}: missing {key}")
            if not urlparse(entry.link).netloc.endswith("demo.newsroom.invalid"):
                fail(f"{label}: link outside demo.newsroom.invalid")
            day = entry.published_parsed
            if not (day.tm_year == 2026 and day.tm_mon == 11 and 15 <= day.tm_mday <= 28):
                fail(f"{label}: date outside 2026-11-15..28")
            duration = None
            transcript_file = None
            if src["kind"] == "youtube":
                vid = entry.get("yt_videoid", "")
                if not re.fullmatch(r"[A-Za-z0-9_-]{11}", vid):
                    fail(f"{label}: bad yt:videoId {vid!r}")
                if not entry.get("summary"):
                    fail(f"{label}: no media:description")
                transcript_file = f"{vid}.vtt"
                audio_name = vid
            else:
                if not entry.get("summary") or "<p>" not in entry.summary:
                    fail(f"{label}: description without HTML show notes")
                encl = [e for e in entry.get("enclosures", []) if e.get("type") == "audio/ogg"]
                if not encl or not encl[0]["href"].startswith(
                    "https://demo.newsroom.invalid/audio/"
                ):
                    fail(f"{label}: no audio/ogg enclosure under /audio/")
                    audio_name = None
                else:
                    audio_name = encl[0]["href"].rsplit("/", 1)[-1].removesuffix(".opus")
                if not entry.get("itunes_duration"):
                    fail(f"{label}: no itunes:duration")
                else:
                    duration = parse_duration(entry.itunes_duration)
                # podcast:transcript, read with ElementTree (namespace differs by feed)
                for item in root.iter("item"):
                    if item.findtext("guid") == entry.id:
                        for ns in NAMESPACES:
                            tag = item.find(f"{{{ns}}}transcript")
                            if tag is not None:
                                transcript_file = tag.get("url").rsplit("/", 1)[-1]
                                expected = {
                                    "vtt": "text/vtt",
                                    "srt": "application/x-subrip",
                                    "json": "application/json",
                                }[transcript_file.rsplit(".", 1)[-1]]
                                if tag.get("type") != expected:
                                    fail(f"{label}: transcript type {tag.get('type')}")
            words = 0
            if transcript_file:
                path = HERE / "transcripts" / transcript_file
                if not path.exists():
                    fail(f"{label}: transcript {transcript_file} missing")
                else:
                    words, last = check_transcript(path, duration)
                    if duration is None:
                        duration = int(last)
            if audio_name:
                check_audio(audio_name, duration, audio_index)
            rows.append(
                (src["slug"], src["language"], entry.title, duration or 0, transcript_file, words)
            )
    total = 0
    for slug, lang, title, dur, tfile, words in rows:
        total += words
        shown = tfile or "(show notes only)"
        print(f"{slug:18} {lang} {dur // 60:3d}:{dur % 60:02d} {words:5d}w {shown:32} {title}")
    print(f"{len(rows)} episodes, {total} transcript words")
    media_bytes = sum(f.stat().st_size for f in (HERE / "media").rglob("*") if f.is_file())
    print(f"media: {media_bytes / 1024 / 1024:.1f} MiB")
    if media_bytes > 25 * 1024 * 1024:
        fail(f"demo/media weighs {media_bytes / 1024 / 1024:.1f} MiB, over 25 MiB")
    long_ones = [r for r in rows if r[3] >= 1800 and r[5] >= 4500]
    if len(long_ones) < 4:
        fail(f"only {len(long_ones)} episodes of 30+ minutes with 4,500+ words")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
