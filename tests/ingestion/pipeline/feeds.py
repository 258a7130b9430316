"""Feeds and transcripts for pipeline tests, written for them (served on 127.0.0.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from testing.http_servers import Response

TOPICS = [
    (
        "The new accelerator",
        "The company announced a new AI accelerator chip with 192 gigabytes "
        "of memory. It trains language models three times faster than last year's part. Shipments "
        "begin in March for cloud customers. The price was not disclosed but analysts expect a "
        "premium.",
    ),
    (
        "Open weights",
        "The lab released open weights for its seven billion parameter model. "
        "Developers can fine-tune it on a single GPU. The licence allows commercial use with few "
        "limits. Early benchmarks put it ahead of larger models on coding tasks.",
    ),
    (
        "Regulation",
        "European regulators published guidance on general purpose AI models. "
        "Providers must document training data and report serious incidents. Fines reach three "
        "percent of global revenue. The rules apply from August next year.",
    ),
    (
        "Data centres",
        "Power demand from data centres doubled in two years in some regions. "
        "Operators are signing long contracts for nuclear and solar energy. Cooling with liquid "
        "instead of air cuts energy use by a fifth. Grid operators warn about delays.",
    ),
    (
        "Security",
        "Researchers found a prompt injection flaw in a popular coding assistant. "
        "A crafted file could make it leak secrets from the developer's machine. The vendor "
        "shipped a patch within a week. Users should update and review stored tokens.",
    ),
]


def transcript_vtt(minutes: int = 12) -> str:
    """A WebVTT conversation touching each topic, ~`minutes` long."""
    cues, t = ["WEBVTT", ""], 0.0
    speakers = ["Alice", "Bob"]
    lines = [("Alice", "Hello and welcome to the show, today we have a busy week of news.")]
    for index, (_, text) in enumerate(TOPICS):
        for sentence in text.split(". "):
            sentence = sentence.rstrip(".") + "."
            lines.append((speakers[index % 2], sentence))
            lines.append(
                (
                    speakers[(index + 1) % 2],
                    f"That matters because {sentence[0].lower()}{sentence[1:]}",
                )
            )
    lines.append(("Bob", "To wrap up, the accelerator and the new rules will shape next year."))
    step = max(4.0, minutes * 60 / len(lines))
    for speaker, text in lines:
        cues.append(f"{_ts(t)} --> {_ts(t + step - 0.5)}")
        cues.append(f"<v {speaker}>{text}")
        cues.append("")
        t += step
    return "\n".join(cues)


def _ts(seconds: float) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{int(h):02d}:{int(m):02d}:{s:06.3f}"


def podcast_feed(base_url: str, episodes: int = 2, *, with_transcripts: bool = True) -> bytes:
    """An RSS podcast feed; episode n's transcript is at /t/<n>.vtt on the same server."""
    now = datetime.now(UTC).replace(microsecond=0)
    items = []
    for n in range(1, episodes + 1):
        transcript = (
            f'<podcast:transcript url="{base_url}/t/{n}.vtt" type="text/vtt" language="en"/>'
            if with_transcripts
            else ""
        )
        items.append(f"""
<item>
  <title>Episode {n}: chips, models and rules</title>
  <guid isPermaLink="false">test-episode-{n}</guid>
  <link>{base_url}/episodes/{n}</link>
  <pubDate>{format_datetime(now - timedelta(hours=n))}</pubDate>
  <description>&lt;p&gt;Show notes for episode {n}: an accelerator, open weights, AI rules,
  power-hungry data centres and a prompt injection flaw in a coding assistant. We also talk
  about what each of these means for developers and for the companies that buy the chips.
  &lt;/p&gt;</description>
  <enclosure url="{base_url}/audio/{n}.mp3" length="1000" type="audio/mpeg"/>
  <itunes:duration>12:00</itunes:duration>
  {transcript}
</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title>Pipeline Test Podcast</title>
  <link>{base_url}/</link>
  <language>en</language>
  <description>A podcast served by the tests.</description>
  {"".join(items)}
</channel>
</rss>""".encode()


def serve_podcast(
    server, episodes: int = 2, *, transcripts: int = 0, minutes: int = 12, **feed
) -> str:
    """Serve a podcast of `episodes` on `server` (testing.http_servers), each with its
    WebVTT transcript (`transcripts` of them, when the feed is to grow later);
    returns the feed's URL."""
    base = server.url("").rstrip("/")
    server.routes["/feed.xml"] = podcast_feed(base, episodes, **feed)
    for n in range(1, (transcripts or episodes) + 1):
        server.routes[f"/t/{n}.vtt"] = Response(
            body=transcript_vtt(minutes).encode(), content_type="text/vtt"
        )
    return server.url("/feed.xml")
