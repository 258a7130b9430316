"""Files built to make the parsers work hard within the byte caps (issue 16, finding 5).

Shared by tests/security/test_import_limits.py and tests/reliability/ (which check the
refusals and the bounds) and bench/parse_limits.py and bench/fault_timing.py (which
measure time and memory).
"""

from __future__ import annotations

_RSS_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    b"<title>Hostile</title><link>https://hostile.example.org/</link>"
)
_ITEM_HEAD = b"<item><title>Episode</title><guid>hostile-1</guid>"
_ITEM_TAIL = b"</item></channel></rss>"


def nested_feed(depth: int, *, repeat: int = 1, well_formed: bool = True) -> bytes:
    """An RSS feed whose one item holds `repeat` chains of `depth` nested elements.

    nested_feed(2_000_000) is the issue's: 14 MB, 2,000,000 elements in one chain.
    Not well-formed (an undefined entity), feedparser reads it with its loose parser.
    """
    head = _RSS_HEAD if well_formed else _RSS_HEAD.replace(b"Hostile", b"Hostile&nbsp;")
    chain = b"<a>" * depth + b"</a>" * depth
    return head + _ITEM_HEAD + chain * repeat + _ITEM_TAIL


def flat_feed(elements: int, *, well_formed: bool = True) -> bytes:
    """An RSS feed whose one item holds `elements` empty sibling elements."""
    head = _RSS_HEAD if well_formed else _RSS_HEAD.replace(b"Hostile", b"Hostile&nbsp;")
    return head + _ITEM_HEAD + b"<a/>" * elements + _ITEM_TAIL


def json_feed_of_empty_objects(objects: int) -> bytes:
    """A JSON Feed whose items list holds `objects` empty objects ({} is 3 bytes)."""
    head = b'{"version":"https://jsonfeed.org/version/1.1","title":"Hostile","items":['
    return head + b",".join([b"{}"] * objects) + b"]}"


def big_description_feed(size: int) -> bytes:
    """One episode whose description is `size` bytes of escaped markup."""
    unit = b"word &lt;b&gt;bold&lt;/b&gt; "
    description = unit * (size // len(unit))
    return _RSS_HEAD + _ITEM_HEAD + b"<description>" + description + b"</description>" + _ITEM_TAIL


def tiny_cue_vtt(size: int) -> bytes:
    """A WebVTT file of `size` bytes made of the smallest cues that parse, each with its
    own text (so none merges into the one before): 15.5 MB is some 900,000 cues."""
    cues, total, number = [], 8, 0
    while total < size:
        cue = f"0:0-->0:1\n{number:x}\n\n"
        cues.append(cue)
        total += len(cue)
        number += 1
    return ("WEBVTT\n\n" + "".join(cues)).encode()


def timed_vtt(cues: int) -> bytes:
    """A plausible WebVTT file of `cues` cues (a word each, as karaoke captions are)."""
    lines = ["WEBVTT", ""]
    for n in range(cues):
        start, end = divmod(n, 60), divmod(n + 1, 60)
        lines += [
            f"{start[0] // 60:02d}:{start[0] % 60:02d}:{start[1]:02d}.000 --> "
            f"{end[0] // 60:02d}:{end[0] % 60:02d}:{end[1]:02d}.000",
            f"w{n:x}",
            "",
        ]
    return "\n".join(lines).encode()


def untimed_words_json(words: int) -> bytes:
    """A Podcasting 2.0 JSON transcript of `words` single words, no times, no
    punctuation: nothing ends a phrase but its length."""
    items = ",".join(['{"body":"word"}'] * words)
    return f'{{"version":"1.0.0","segments":[{items}]}}'.encode()


def many_items_feed(items: int) -> bytes:
    """A well-formed RSS feed of `items` small episodes (only their number is hostile)."""
    entries = "".join(
        f'<item><title>Episode {n}</title><guid isPermaLink="false">big-{n}</guid>'
        f"<link>http://127.0.0.1/big/{n}</link></item>"
        for n in range(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Ten thousand</title>'
        f"<link>http://127.0.0.1/</link><description>big</description>{entries}</channel></rss>"
    ).encode()


def long_vtt(size: int) -> bytes:
    """A well-formed WebVTT file of about `size` bytes of three-second cues, each saying
    something new (repeated lines would be merged as rolling captions): only its size
    is hostile."""
    cues, t, total = ["WEBVTT", ""], 0, 0
    while total < size:
        line = f"Point {t // 3}: accelerators, open weights and the new rules for models."
        cue = f"{_vtt_time(t)} --> {_vtt_time(t + 3)}\n<v Host>{line}\n"
        cues.append(cue)
        total += len(cue) + 1
        t += 3
    return "\n".join(cues).encode()


def _vtt_time(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.000"


def opml(urls: list[str]) -> bytes:
    """An OPML 2.0 subscription list of these feed URLs."""
    outlines = "".join(
        f'<outline type="rss" text="Feed {n}" xmlUrl="{url}"/>\n' for n, url in enumerate(urls)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>Subscriptions'
        f"</title></head><body>\n{outlines}</body></opml>\n"
    ).encode()


def public_feed_urls(count: int) -> list[str]:
    """Feed URLs at literal public addresses (45.0.0.0/8): the fetcher would fetch them,
    so an import takes them; nothing ever connects to them, and no name has to be
    looked up, so no test or bench waits on a resolver."""
    return [
        f"https://45.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}/feed{n}.xml" for n in range(count)
    ]
