"""The demo's media: one artwork per show (SVG, drawn here) and one audio file per
episode (the dialogue read aloud by espeak-ng at each cue's time, encoded as Opus).

Both are served by the site itself as static files (settings.STATICFILES_DIRS maps
demo/media/ to /static/demo/), so the demo's pictures and players work offline.
`manage.py load_demo` points each article at them:

    media/art/<source-slug>.svg        the show's artwork
    media/audio/<name>.opus            <name>: the stem of the episode's enclosure URL,
                                       or the video's id for a YouTube-style entry

The artwork is plain text, rewritten on every build. The audio is expensive to make
and binary, so build.py makes an episode's file again only when what it is made from
changed (its fingerprint in demo/audio.json, which also gives load_demo each file's
length); it needs espeak-ng and ffmpeg (apt-get install espeak-ng ffmpeg), and
without them the files already there are kept.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import shutil
import subprocess
import wave
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
MEDIA = HERE / "media"
ART = MEDIA / "art"
AUDIO = MEDIA / "audio"
AUDIO_INDEX = HERE / "audio.json"

# --------------------------------------------------------------------------- artwork

# Colours (background from, background to, accent, text) and a motif per show.
ART_STYLE = {
    "signal-and-noise": ("#1e1b4b", "#0f766e", "#5eead4", "#f0fdfa", "wave"),
    "the-stack-report": ("#1f2937", "#374151", "#fb923c", "#fff7ed", "stack"),
    "octets-du-matin": ("#7c2d12", "#db2777", "#fde68a", "#fffbeb", "sunrise"),
    "circuit-bench": ("#052e16", "#14532d", "#facc15", "#f7fee7", "circuit"),
    "the-merge-window": ("#2e1065", "#6d28d9", "#c4b5fd", "#faf5ff", "merge"),
    "hors-chaine": ("#0c1a3a", "#1e3a8a", "#fbbf24", "#fefce8", "chain"),
}
SIZE = 600


def _wave(accent: str) -> str:
    bars = []
    for i in range(23):
        height = 40 + 150 * abs(math.sin(i * 0.55)) * (0.55 + 0.45 * math.cos(i * 0.21))
        x = 70 + i * 20
        bars.append(
            f'<rect x="{x}" y="{230 - height / 2:.1f}" width="11" height="{height:.1f}" '
            f'rx="5.5" fill="{accent}" opacity="{0.55 + 0.45 * (i % 3 == 0):.2f}"/>'
        )
    return "".join(bars)


def _stack(accent: str) -> str:
    layers = []
    for i, width in enumerate((360, 310, 260, 210)):
        y = 300 - i * 58
        layers.append(
            f'<rect x="{(SIZE - width) / 2:.0f}" y="{y}" width="{width}" height="40" rx="10" '
            f'fill="{accent}" opacity="{1 - i * 0.2:.2f}"/>'
        )
    return "".join(layers)


def _sunrise(accent: str) -> str:
    # Half a sun on the horizon, its rays above.
    parts = [f'<path d="M205 300 A95 95 0 0 1 395 300 Z" fill="{accent}"/>']
    for i in range(9):
        angle = math.pi * (i + 1) / 10
        x1, y1 = 300 - 120 * math.cos(angle), 300 - 120 * math.sin(angle)
        x2, y2 = 300 - 175 * math.cos(angle), 300 - 175 * math.sin(angle)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{accent}" stroke-width="12" stroke-linecap="round" stroke-dasharray="14 10"/>'
        )
    parts.append('<rect x="0" y="300" width="600" height="300" fill="#000" opacity="0.25"/>')
    parts.append(f'<rect x="60" y="298" width="480" height="6" rx="3" fill="{accent}"/>')
    return "".join(parts)


def _circuit(accent: str) -> str:
    parts = ['<rect x="220" y="120" width="160" height="160" rx="14" fill="#0a0a0a"/>']
    for i in range(5):
        offset = 140 + i * 30
        for path in (
            f"M{offset} 120 V80 H{offset - 60 + i * 30}",
            f"M{offset} 280 V330 H{offset + 40 - i * 20}",
            f"M220 {offset} H150 V{offset - 40 + i * 20}",
            f"M380 {offset} H460 V{offset + 30 - i * 15}",
        ):
            parts.append(
                f'<path d="{path}" fill="none" stroke="{accent}" stroke-width="6" '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )
    for x, y in ((80, 80), (520, 80), (80, 330), (520, 330)):
        parts.append(f'<circle cx="{x}" cy="{y}" r="12" fill="{accent}"/>')
    return "".join(parts)


def _merge(accent: str) -> str:
    return (
        f'<path d="M200 90 V360" stroke="{accent}" stroke-width="16" fill="none" '
        'stroke-linecap="round"/>'
        f'<path d="M400 90 V170 C400 250 200 250 200 320" stroke="{accent}" stroke-width="16" '
        'fill="none" stroke-linecap="round" opacity="0.75"/>'
        f'<circle cx="200" cy="110" r="26" fill="{accent}"/>'
        f'<circle cx="400" cy="110" r="26" fill="{accent}" opacity="0.75"/>'
        f'<circle cx="200" cy="340" r="34" fill="none" stroke="{accent}" stroke-width="14"/>'
    )


def _chain(accent: str) -> str:
    links = []
    for i, x in enumerate((110, 230, 350)):
        # The last link is open, drifting off: "hors chaîne", off the chain.
        open_link = ' stroke-dasharray="330 70" transform="rotate(-12 420 230)"' if i == 2 else ""
        links.append(
            f'<rect x="{x}" y="180" width="140" height="100" rx="50" fill="none" '
            f'stroke="{accent}" stroke-width="22"{open_link}/>'
        )
    return "".join(links)


MOTIFS = {
    "wave": _wave,
    "stack": _stack,
    "sunrise": _sunrise,
    "circuit": _circuit,
    "merge": _merge,
    "chain": _chain,
}


def artwork(slug: str, name: str) -> str:
    start, end, accent, text, motif = ART_STYLE[slug]
    words = name.split()
    # One line if it fits, else two balanced lines.
    lines = [name] if len(name) <= 14 else _balanced(words)
    font = 64 if max(len(line) for line in lines) <= 12 else 54
    first_y = 470 if len(lines) == 1 else 440
    label = "".join(
        f'<text x="300" y="{first_y + i * (font + 6)}" text-anchor="middle" '
        f'font-size="{font}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{escape(name)}">'
        f"<title>{escape(name)}</title>"
        '<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{start}"/><stop offset="1" stop-color="{end}"/>'
        "</linearGradient></defs>"
        f'<rect width="{SIZE}" height="{SIZE}" fill="url(#bg)"/>'
        f"{MOTIFS[motif](accent)}"
        f'<g fill="{text}" font-family="DejaVu Sans, Verdana, Arial, sans-serif" '
        f'font-weight="700">{label}</g>'
        f'<text x="300" y="570" text-anchor="middle" fill="{text}" opacity="0.7" '
        'font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="20" '
        'letter-spacing="6">NEWSROOM DEMO</text>'
        "</svg>\n"
    )


def _balanced(words: Sequence[str]) -> list[str]:
    best = None
    for cut in range(1, len(words)):
        a, b = " ".join(words[:cut]), " ".join(words[cut:])
        width = max(len(a), len(b))
        if best is None or width < best[0]:
            best = (width, [a, b])
    return best[1] if best else [" ".join(words)]


def write_art(sources: Sequence[dict]) -> None:
    ART.mkdir(parents=True, exist_ok=True)
    for source in sources:
        (ART / f"{source['slug']}.svg").write_text(
            artwork(source["slug"], source["name"]), encoding="utf-8"
        )


# --------------------------------------------------------------------------- audio

RATE = 22_050  # espeak-ng's own sample rate
# Opus at 6 kbit/s, 60 ms frames: speech stays intelligible, and the whole demo fits
# in a few megabytes. bitexact: the same input gives the same bytes.
ENCODER = [
    "-c:a", "libopus", "-b:a", "6k", "-application", "voip", "-frame_duration", "60",
    "-ar", "16000", "-ac", "1", "-map_metadata", "-1",
    "-fflags", "+bitexact", "-flags:a", "+bitexact",
]  # fmt: skip
VOICES = {
    "en": ["en-us+f3", "en-us+m3", "en-gb+f4", "en-gb+m2"],
    "fr": ["fr-fr+f3", "fr-fr+m3", "fr-fr+f2", "fr-fr+m2"],
}


@dataclass
class Line:
    start: float
    end: float
    speaker: str
    text: str


def fingerprint(lines: Sequence[Line], duration: int, voices: dict[str, str]) -> str:
    data = json.dumps(
        {
            "lines": [(round(x.start, 3), round(x.end, 3), x.speaker, x.text) for x in lines],
            "duration": duration,
            "voices": voices,
            "encoder": ENCODER,
            "version": 1,
        },
        ensure_ascii=False,
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def voices_for(speakers: Sequence[str], language: str) -> dict[str, str]:
    pool = VOICES[language]
    return {name: pool[i % len(pool)] for i, name in enumerate(speakers)}


def tools_missing() -> list[str]:
    return [tool for tool in ("espeak-ng", "ffmpeg") if shutil.which(tool) is None]


def _speak(text: str, voice: str, wpm: int) -> bytes:
    done = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(wpm), "-a", "120", "--stdout", text],
        capture_output=True,
        check=True,
    )
    with wave.open(io.BytesIO(done.stdout)) as audio:
        if audio.getframerate() != RATE or audio.getsampwidth() != 2:
            raise SystemExit(f"espeak-ng gave {audio.getframerate()} Hz audio, not {RATE}")
        return audio.readframes(audio.getnframes())


def _fit(line: Line, room: float, voice: str) -> bytes:
    """The line spoken so that it ends before the next one starts: at the pace its cue
    was timed at, then faster if it overran."""
    words = max(1, len(line.text.split()))
    wpm = int(min(380, max(110, words / max(line.end - line.start, 0.5) * 60)))
    pcm = _speak(line.text, voice, wpm)
    for _ in range(2):
        seconds = len(pcm) / 2 / RATE
        if seconds <= room:
            break
        wpm = int(min(450, wpm * seconds / room * 1.04 + 1))
        pcm = _speak(line.text, voice, wpm)
    return pcm[: int(room * RATE) * 2]


def render(lines: Sequence[Line], duration: int, voices: dict[str, str], path: Path) -> None:
    """Speak every line at its start time over `duration` seconds of silence."""
    track = bytearray(duration * RATE * 2)
    rooms = [
        (lines[i + 1].start if i + 1 < len(lines) else duration) - line.start - 0.05
        for i, line in enumerate(lines)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        spoken = list(
            pool.map(lambda pair: _fit(pair[0], pair[1], voices[pair[0].speaker]),
                     zip(lines, rooms, strict=True))
        )  # fmt: skip
    for line, pcm in zip(lines, spoken, strict=True):
        at = int(line.start * RATE) * 2
        pcm = pcm[: max(0, len(track) - at)]
        track[at : at + len(pcm)] = pcm
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1",
         "-i", "-", *ENCODER, str(path)],
        input=bytes(track),
        check=True,
    )  # fmt: skip


def read_index() -> dict:
    if AUDIO_INDEX.is_file():
        return json.loads(AUDIO_INDEX.read_text(encoding="utf-8"))
    return {}


def write_index(index: dict) -> None:
    AUDIO_INDEX.write_text(
        json.dumps(dict(sorted(index.items())), indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
