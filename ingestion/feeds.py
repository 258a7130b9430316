"""Turn the bytes of a feed into plain data: RSS 2.0/1.0/0.9x, Atom, JSON Feed.

Pure: no database and no network. feedparser does the heavy lifting for XML,
because real feeds are full of bad encodings and broken markup it already
tolerates; a light defusedxml pass adds what feedparser does not expose well
(every Podcasting 2.0 transcript and chapters link, YouTube video ids, plain-text
media descriptions). JSON Feed is read here with the json module.

Hostile XML is refused before any XML parser sees it, and the work is bounded:
at most MAX_FEED_BYTES of input, FEED_MAX_DEPTH levels and FEED_MAX_ELEMENTS
elements (ingestion/limits.py), and MAX_EPISODES episodes per feed.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import json
import math
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.etree import ElementTree
from xml.parsers import expat
from xml.sax import SAXParseException

import feedparser
import nh3
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from feedparser.encodings import convert_to_utf8

from articles.media import YOUTUBE_ID, youtube_id_from_url
from ingestion.errors import FeedError
from ingestion.limits import limit
from newsroom.text import html_to_text

# Bigger than any real feed we have seen (the largest podcast feeds are ~30 MB);
# the fetcher has its own, usually smaller, limit.
MAX_FEED_BYTES = 64 * 1024 * 1024
# Feeds list newest first; past a few thousand episodes the rest is an archive we
# never digest, and cutting it keeps a 10,000-item feed to about a second of work.
MAX_EPISODES = 5000

ALLOWED_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

PODCAST_NAMESPACES = frozenset(
    {
        "podcastindex.org/namespace/1.0",
        "github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    }
)
YOUTUBE_NAMESPACE = "http://www.youtube.com/xml/schemas/2015"
MEDIA_NAMESPACES = frozenset({"http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss"})
# Namespaces whose <item>/<entry> elements are feed entries (RSS 0.9x/2.0 have none).
ITEM_NAMESPACES = frozenset(
    {
        "",
        "http://purl.org/rss/1.0/",
        "http://my.netscape.com/rdf/simple/0.9/",
        "http://www.w3.org/2005/Atom",
        "http://purl.org/atom/ns#",
    }
)

AUDIO_EXTENSIONS = frozenset(
    {".mp3", ".m4a", ".m4b", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac", ".mp2", ".wma"}
)
VIDEO_EXTENSIONS = frozenset({".mp4", ".m4v", ".mov", ".webm", ".mkv", ".ogv", ".avi", ".wmv"})
# Types that say nothing about the content: the file extension decides instead.
VAGUE_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/ogg"})


@dataclass(slots=True)
class TranscriptLink:
    """A Podcasting 2.0 <podcast:transcript>: where a transcript lives and what it is."""

    url: str
    type: str = ""
    language: str = ""
    rel: str = ""


@dataclass(slots=True)
class ParsedEpisode:
    guid: str
    title: str = ""
    link: str = ""
    published: datetime | None = None  # aware, UTC
    duration_seconds: int | None = None
    audio_url: str = ""
    audio_type: str = ""
    audio_length: int | None = None
    video_url: str = ""
    video_id: str = ""
    description_html: str = ""  # sanitised with nh3: safe to render
    description_text: str = ""
    image_url: str = ""
    transcripts: list[TranscriptLink] = field(default_factory=list)
    chapters_url: str = ""
    chapters_type: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFeed:
    title: str = ""
    link: str = ""
    language: str = ""
    kind: str = "rss"  # "podcast" | "youtube" | "rss"
    description: str = ""  # plain text
    image_url: str = ""
    episodes: list[ParsedEpisode] = field(default_factory=list)
    warning: str = ""  # read, but with a problem worth telling (broken XML recovered)


@dataclass(slots=True)
class _ItemExtras:
    """What the defusedxml pass found in one <item>/<entry> that feedparser hides."""

    transcripts: list[TranscriptLink] = field(default_factory=list)
    chapters_url: str = ""
    chapters_type: str = ""
    video_id: str = ""
    duration: str = ""
    media_description: str | None = None
    has_description: bool = False


# --------------------------------------------------------------------------- entry point


def parse_feed(data: bytes, *, url: str = "") -> ParsedFeed:
    """Parse feed bytes; `url` (where they came from) resolves relative links.

    Raises FeedError when the bytes are empty, too big, hostile or not a feed.
    """
    if not data or not data.strip():
        raise FeedError("empty feed: no bytes to parse")
    url = _without_user_info(url)
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"feed too large: {len(data)} bytes (limit {MAX_FEED_BYTES})")
    if _looks_like_json(data):
        return _parse_json_feed(data, url=url)
    return _parse_xml_feed(data, url=url)


# --------------------------------------------------------------------------- XML feeds


def _parse_xml_feed(data: bytes, *, url: str) -> ParsedFeed:
    text = _decode(data)
    _refuse_hostile(text)
    kept = _drop_excess_items(_drop_live_items(text))
    xml = kept.encode("utf-8")
    _refuse_too_complex(xml, kept)
    # A BytesIO, never bytes or str: feedparser treats a str as a URL or a file
    # name and would fetch or open it; a stream is only ever read.
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    # nh3 sanitises and we resolve links ourselves: feedparser's own passes would
    # double the parse time of a big feed for nothing.
    try:
        parsed = feedparser.parse(
            io.BytesIO(xml),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as error:  # noqa: BLE001
        # feedparser's loose parser has its own crashes on broken markup (a KeyError
        # in its GeoRSS handler, for one); any of them means this feed is unusable.
        raise FeedError(f"not a feed: the XML is too broken to read ({_one_line(error)})")
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(_not_a_feed_message(parsed))
    broken = _xml_problem(parsed)
    if broken and not parsed.entries:
        # feedparser's loose parser reads on past the break and makes something up
        # ("Brokenx", no episodes): nothing there is worth storing.
        raise FeedError(f"not a feed: the XML is not well-formed ({broken})")
    extras = _match_extras(parsed.entries, _collect_extras(xml))
    base = url or parsed.feed.get("link", "")
    episodes = _unique(
        episode
        for entry, extra in zip(parsed.entries, extras, strict=True)
        if (episode := _episode_from_entry(entry, extra, base=base)) is not None
    )
    feed = parsed.feed
    youtube = YOUTUBE_NAMESPACE in parsed.get("namespaces", {}).values()
    return ParsedFeed(
        title=_title(feed),
        link=_absolute(feed.get("link", ""), url),
        language=(feed.get("language") or "").strip(),
        kind=_feed_kind(episodes, youtube=youtube),
        description=_detail_text(feed, "subtitle") or _detail_text(feed, "summary"),
        image_url=_absolute(_feed_image(feed), base),
        episodes=episodes[:MAX_EPISODES],
        # Items recovered from broken XML are kept, and the problem named, so that the
        # feed's owner can be told.
        warning=f"the XML is not well-formed ({broken}); {len(episodes)} items recovered"
        if broken
        else "",
    )


def _xml_problem(parsed: Any) -> str:
    """Where and why the XML is not well-formed ("line 3, column 1: mismatched tag"),
    or "". Other bozo reasons (a declared encoding that was wrong) are not breaks."""
    problem = parsed.get("bozo_exception")
    if not isinstance(problem, SAXParseException):
        return ""
    return (
        f"line {problem.getLineNumber()}, column {problem.getColumnNumber() + 1}: "
        f"{problem.getMessage()}"
    )


def _decode(data: bytes) -> str:
    """Bytes to text exactly as feedparser would decode them (BOMs, declared encodings)."""
    result: dict[str, Any] = {}
    try:
        utf8 = convert_to_utf8({}, data, result)
    except (UnicodeError, ValueError, LookupError):
        # A garbled encoding declaration trips feedparser's detector: read the bytes
        # as UTF-8 and say so in a fresh declaration.
        text = data.decode("utf-8", "replace")
        return "<?xml version='1.0'?>\n" + _XML_DECLARATION.sub("", text, count=1)
    return utf8.decode("utf-8", "replace")


_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")


def _refuse_hostile(text: str) -> None:
    """Refuse any document whose DOCTYPE declares entities.

    Entity declarations are how billion-laughs expansion and external-entity file
    reads work, and no real feed needs them; a plain DOCTYPE (RSS 0.91's) is fine.
    Parsers only honour declarations before the first element, so that is where we
    look: the same words inside an article's CDATA are text.
    """
    if "\x00" in text:
        # UTF-16 or UTF-32 read as UTF-8: look at the characters without the NULs.
        text = text.replace("\x00", "")
    first_element = _FIRST_ELEMENT.search(text)
    prolog = text[: first_element.start()] if first_element else text
    if _ENTITY_DECLARATION.search(_cut_blocks(prolog, "<!--", "-->")):
        raise FeedError("refused hostile XML: the document declares entities (<!ENTITY>)")
    for tag in _LONG_TAG.finditer(text):
        if len(_ATTRIBUTE.findall(tag.group())) > MAX_ATTRIBUTES:
            # The SAX layer under feedparser looks attributes up in quadratic time.
            raise FeedError(f"refused hostile XML: a tag with over {MAX_ATTRIBUTES} attributes")


# Real tags have a handful of attributes; a long tag (a data: URI, a signed URL) is
# fine, but thousands of attributes are only ever an attack on the parser.
MAX_ATTRIBUTES = 500
_LONG_TAG = re.compile(r"<[^<>]{4000,}>")
_ATTRIBUTE = re.compile(r"""=\s*["']""")


class _TooComplex(Exception):
    """Raised from inside the expat pass to stop it at the first element past a limit."""


def _refuse_too_complex(xml: bytes, text: str) -> None:
    """Refuse a document nested deeper than FEED_MAX_DEPTH or with more elements than
    FEED_MAX_ELEMENTS, before feedparser (and the strict pass after it) see it.

    Both build Python objects for every element, at some 20 microseconds each; expat
    (C) walks the document here building nothing and stops at the first element past
    a limit: of 2,000,000 nested elements, the 101st. `text` is the same document
    decoded, for the count below.
    """
    max_depth, max_elements = limit("FEED_MAX_DEPTH"), limit("FEED_MAX_ELEMENTS")
    depth = elements = 0

    def start(_name: str, _attributes: object) -> None:
        nonlocal depth, elements
        depth += 1
        elements += 1
        if depth > max_depth:
            raise _TooComplex(f"elements nested over {max_depth} deep (FEED_MAX_DEPTH)")
        if elements > max_elements:
            raise _TooComplex(f"over {max_elements:,} elements (FEED_MAX_ELEMENTS)")

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    # The bytes are UTF-8 whatever their declaration says (_decode converted them);
    # no namespace processing: an undeclared prefix is feedparser's business, not ours.
    parser = expat.ParserCreate(encoding="utf-8")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(xml, True)
    except _TooComplex as refusal:
        raise FeedError(f"refused: the feed has {refusal}")
    except expat.ExpatError:
        # Not well-formed (an undefined &nbsp; is enough): feedparser then reads the
        # whole document again with its loose parser, element by element and about
        # three times slower. Bound it by the tags it will see: every '<' that opens
        # one, outside CDATA sections and comments, which it reads as text.
        markup = _cut_blocks(_cut_blocks(text, "<![CDATA[", "]]>"), "<!--", "-->")
        openings = markup.count("<") - markup.count("</") - markup.count("<!")
        if openings - markup.count("<?") > max_elements:
            raise FeedError(
                f"refused: the feed has over {max_elements:,} elements (FEED_MAX_ELEMENTS) "
                "and is not well-formed XML"
            )


def _cut_blocks(text: str, opening: str, closing: str) -> str:
    """Remove every opening...closing block (an unclosed one runs to the end).

    Plain find() in one pass: a regex with .*? would rescan the rest of the text for
    each unclosed opening, which a hostile feed can repeat millions of times.
    """
    if opening not in text:
        return text
    kept: list[str] = []
    position = 0
    while (begin := text.find(opening, position)) >= 0:
        kept.append(text[position:begin])
        end = text.find(closing, begin + len(opening))
        if end < 0:
            return "".join(kept)
        position = end + len(closing)
    kept.append(text[position:])
    return "".join(kept)


_ITEM_START = re.compile(r"<(?:item|entry)[\s>/]")


def _drop_excess_items(text: str) -> str:
    """Cut the middle items of a feed longer than MAX_EPISODES before feedparser sees it.

    The first and the last halves stay, so the newest episodes survive whichever
    order the feed lists them in.
    """
    starts = [match.start() for match in _ITEM_START.finditer(text)]
    if len(starts) <= MAX_EPISODES:
        return text
    half = MAX_EPISODES // 2
    return text[: starts[half]] + text[starts[len(starts) - (MAX_EPISODES - half)] :]


_NAMESPACE_DECLARATION = re.compile(r"""xmlns:([\w.-]+)\s*=\s*["']([^"']+)["']""")


def _drop_live_items(text: str) -> str:
    """Remove <podcast:liveItem> blocks: they are streams, not episodes, and feedparser
    would read their <title>, <link> and <description> as the channel's own."""
    for prefix, namespace in set(_NAMESPACE_DECLARATION.findall(text[:100_000])):
        if _is_podcast_namespace(namespace):
            text = _cut_blocks(text, f"<{prefix}:liveItem", f"</{prefix}:liveItem>")
    return text


def _not_a_feed_message(parsed: Any) -> str:
    problem = parsed.get("bozo_exception")
    if problem:
        detail = _one_line(problem)
        if detail.startswith("<unknown>:"):  # expat's position, e.g. "<unknown>:3:1: ..."
            detail = "line " + detail.removeprefix("<unknown>:")
        return f"not a feed: no RSS, Atom or JSON Feed found ({detail})"
    return "not a feed: no RSS, Atom or JSON Feed found"


# --------------------------------------------------------------------------- defusedxml pass


def _collect_extras(xml: bytes) -> list[_ItemExtras] | None:
    """Per item, in document order; None when the XML is too broken for a strict parser."""
    try:
        root = SafeElementTree.fromstring(
            xml, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return None
    found = []
    for element in root.iter():
        namespace, local = _split_tag(element.tag)
        if local in ("item", "entry") and namespace in ITEM_NAMESPACES:
            found.append(_extras_of(element))
    return found


def _extras_of(item: ElementTree.Element) -> _ItemExtras:
    extras = _ItemExtras()
    for child in item:
        namespace, local = _split_tag(child.tag)
        if local in ("description", "summary", "content", "encoded") and (
            namespace not in MEDIA_NAMESPACES
        ):
            extras.has_description = True
    for element in item.iter():
        namespace, local = _split_tag(element.tag)
        if _is_podcast_namespace(namespace):
            _read_podcast_element(extras, local, element)
        elif namespace == YOUTUBE_NAMESPACE:
            if local == "videoId" and element.text:
                extras.video_id = element.text.strip()
            elif local == "duration" and element.get("seconds"):
                extras.duration = element.get("seconds", "")
        elif namespace in MEDIA_NAMESPACES:
            if local == "content" and element.get("duration") and not extras.duration:
                extras.duration = element.get("duration", "")
            elif (
                local == "description"
                and extras.media_description is None
                and element.get("type", "plain").lower() == "plain"
            ):
                extras.media_description = element.text or ""
    return extras


def _read_podcast_element(extras: _ItemExtras, local: str, element: ElementTree.Element) -> None:
    url = (element.get("url") or "").strip()
    if not url:
        return
    if local == "transcript":
        extras.transcripts.append(
            TranscriptLink(
                url=url,
                type=(element.get("type") or "").strip().lower(),
                language=(element.get("language") or "").strip(),
                rel=(element.get("rel") or "").strip(),
            )
        )
    elif local == "chapters" and not extras.chapters_url:
        extras.chapters_url = url
        extras.chapters_type = (element.get("type") or "").strip().lower()


def _match_extras(entries: list[Any], extras: list[_ItemExtras] | None) -> list[_ItemExtras]:
    """Pair each feedparser entry with its extras: by position, as both keep document order."""
    if extras is not None and len(extras) == len(entries):
        return extras
    # The strict pass failed or disagrees: fall back to what feedparser kept itself.
    return [_extras_from_entry(entry) for entry in entries]


def _extras_from_entry(entry: Any) -> _ItemExtras:
    """feedparser keeps only the last element of each unknown name, but that beats nothing."""
    extras = _ItemExtras(video_id=(entry.get("yt_videoid") or "").strip())
    for key, value in entry.items():
        if not isinstance(value, dict) or not value.get("url"):
            continue
        if key.endswith("_transcript"):
            extras.transcripts.append(
                TranscriptLink(
                    url=value["url"].strip(),
                    type=(value.get("type") or "").strip().lower(),
                    language=(value.get("language") or "").strip(),
                    rel=(value.get("rel") or "").strip(),
                )
            )
        elif key.endswith("_chapters"):
            extras.chapters_url = value["url"].strip()
            extras.chapters_type = (value.get("type") or "").strip().lower()
    return extras


def _split_tag(tag: Any) -> tuple[str, str]:
    if not isinstance(tag, str):  # comments and processing instructions
        return "", ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _is_podcast_namespace(namespace: str) -> bool:
    if not namespace:
        return False
    bare = namespace.lower().split("://", 1)[-1].rstrip("/")
    return bare in PODCAST_NAMESPACES


# --------------------------------------------------------------------------- entries


def _episode_from_entry(entry: Any, extras: _ItemExtras, *, base: str) -> ParsedEpisode | None:
    link = _absolute(entry.get("link", ""), base)
    audio, video = _pick_media(_media_candidates(entry), base=base)
    video_id = _video_id(extras.video_id, link)
    description_html = _entry_description(entry, extras, base=base)
    if not (link or audio or video or video_id or entry.get("id") or description_html):
        return None  # a bare title: nothing to follow, play or digest
    published = _struct_to_datetime(
        entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
    )
    title = _title(entry) or _title_from_url(audio.get("url", "") or video.get("url", ""))
    episode = ParsedEpisode(
        guid="",
        title=title,
        link=link,
        published=published,
        duration_seconds=parse_duration(entry.get("itunes_duration", "") or extras.duration),
        audio_url=audio.get("url", ""),
        audio_type=audio.get("type", ""),
        audio_length=audio.get("length"),
        video_url=_youtube_url(video_id) if video_id else video.get("url", ""),
        video_id=video_id,
        description_html=description_html,
        description_text=html_to_text(description_html),
        image_url=_absolute(_entry_image(entry), base),
        transcripts=[_resolved_transcript(t, base) for t in extras.transcripts],
        chapters_url=_absolute(extras.chapters_url, base),
        chapters_type=extras.chapters_type,
        tags=_tags(entry.get("tags") or []),
    )
    episode.guid = _guid(entry.get("id", ""), episode)
    return episode


def _title(element: Any) -> str:
    return _detail_text(element, "title")


def _detail_text(element: Any, key: str) -> str:
    """A feed's or entry's text field as one plain line, whether given as text or HTML."""
    detail = element.get(f"{key}_detail") or {}
    value = element.get(key, "") or ""
    if "html" in (detail.get("type") or ""):
        return _plain(html_to_text(sanitize_html(value)))
    return _plain(value)


def _entry_description(entry: Any, extras: _ItemExtras, *, base: str) -> str:
    """The richest description feedparser found, or the plain media:description."""
    if not extras.has_description and extras.media_description is not None:
        return text_to_html(extras.media_description)
    candidates = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    for detail in candidates:
        value = detail.get("value") or ""
        if not value.strip():
            continue
        if (detail.get("type") or "").lower() == "text/plain":
            return text_to_html(value)
        return sanitize_html(value, base=detail.get("base") or base)
    return ""


def _media_candidates(entry: Any) -> list[dict[str, str]]:
    """Enclosures first (the podcast convention), then Media RSS content."""
    found = [
        {
            "url": link.get("href", ""),
            "type": link.get("type", ""),
            "length": link.get("length", ""),
            "source": "enclosure",
        }
        for link in entry.get("links") or []
        if link.get("rel") == "enclosure"
    ]
    for content in entry.get("media_content") or []:
        medium = content.get("medium", "")
        found.append(
            {
                "url": content.get("url", ""),
                "type": content.get("type", "") or (f"{medium}/*" if medium else ""),
                "length": content.get("filesize", "") or content.get("fileSize", ""),
                "source": "media",
            }
        )
    return [c for c in found if c["url"].strip()]


def _pick_media(candidates: list[dict[str, str]], *, base: str) -> tuple[dict, dict]:
    """The first audio and the first video; an untyped enclosure counts as audio."""
    audio: dict = {}
    video: dict = {}
    untyped: dict = {}
    for candidate in candidates:
        kind = media_kind(candidate["url"], candidate["type"])
        chosen = {
            "url": _absolute(candidate["url"], base),
            "type": _clean_type(candidate["type"]),
            "length": _length(candidate["length"]),
        }
        if kind == "audio" and not audio:
            audio = chosen
        elif kind == "video" and not video:
            video = chosen
        elif (
            not kind
            and not untyped
            and candidate["source"] == "enclosure"
            and _clean_type(candidate["type"]) in VAGUE_TYPES
        ):
            untyped = chosen
    if not audio and not video and untyped:
        audio = untyped
    return audio, video


def media_kind(url: str, mime_type: str) -> str:
    """'audio', 'video' or '' from a MIME type, or from the extension when the type is vague."""
    mime = _clean_type(mime_type)
    if mime.startswith("audio/"):
        return "audio"
    if mime.startswith("video/"):
        return "video"
    if mime not in VAGUE_TYPES:
        return ""
    path = urlsplit(url.strip()).path.lower()
    extension = path[path.rfind(".") :] if "." in path.rsplit("/", 1)[-1] else ""
    if extension in AUDIO_EXTENSIONS:
        return "audio"
    if extension in VIDEO_EXTENSIONS:
        return "video"
    return ""


def _clean_type(mime_type: str) -> str:
    return (mime_type or "").split(";", 1)[0].strip().lower()


def _length(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _video_id(found: str, link: str) -> str:
    if found and YOUTUBE_ID.match(found):
        return found
    return youtube_id_from_url(link)


def _youtube_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def _entry_image(entry: Any) -> str:
    image = entry.get("image")
    if isinstance(image, dict) and image.get("href"):
        return image["href"]
    for thumbnail in entry.get("media_thumbnail") or []:
        if thumbnail.get("url"):
            return thumbnail["url"]
    return ""


def _feed_image(feed: Any) -> str:
    image = feed.get("image")
    if isinstance(image, dict):
        return image.get("href") or image.get("url") or ""
    return feed.get("logo") or feed.get("icon") or ""


def _tags(raw: list[Any]) -> list[str]:
    tags: list[str] = []
    for tag in raw:
        term = _plain((tag.get("term") or tag.get("label") or "") if isinstance(tag, dict) else "")
        if term and len(term) <= 100 and term not in tags:
            tags.append(term)
    return tags


def _resolved_transcript(link: TranscriptLink, base: str) -> TranscriptLink:
    return TranscriptLink(
        url=_absolute(link.url, base), type=link.type, language=link.language, rel=link.rel
    )


def _guid(entry_id: str, episode: ParsedEpisode) -> str:
    """A stable key for the episode: its id, else link, else media URL, else a hash."""
    for candidate in (entry_id, episode.link, episode.audio_url, episode.video_url):
        if candidate and candidate.strip():
            return candidate.strip()
    published = episode.published.isoformat() if episode.published else ""
    digest = hashlib.sha256(f"{episode.title}\n{published}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def _unique(episodes: Any) -> list[ParsedEpisode]:
    """Keep the first episode of each guid, so one feed never upserts a guid twice."""
    seen: set[str] = set()
    kept: list[ParsedEpisode] = []
    for episode in episodes:
        if episode.guid not in seen:
            seen.add(episode.guid)
            kept.append(episode)
    return kept


def _feed_kind(episodes: list[ParsedEpisode], *, youtube: bool) -> str:
    # A blog linking one video is still a blog: only a feed of videos is a channel.
    if youtube or (episodes and all(e.video_id and not e.audio_url for e in episodes)):
        return "youtube"
    if any(e.audio_url or (e.video_url and not e.video_id) for e in episodes):
        return "podcast"
    return "rss"


# --------------------------------------------------------------------------- JSON Feed


def _looks_like_json(data: bytes) -> bool:
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start == b"{"


def _parse_json_feed(data: bytes, *, url: str) -> ParsedFeed:
    # json builds every object and array at once (15 MB of "{}," is 5,000,000 dicts,
    # 400 MB); each one starts with a brace or a bracket, counted in C before that.
    max_elements = limit("FEED_MAX_ELEMENTS")
    if data.count(b"{") + data.count(b"[") > max_elements:
        raise FeedError(
            f"refused: the JSON feed has over {max_elements:,} objects and lists "
            "(FEED_MAX_ELEMENTS)"
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise FeedError(f"not a feed: invalid JSON ({_one_line(error)})")
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
    ):
        raise FeedError("not a feed: JSON without a JSON Feed version")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError("not a feed: JSON Feed without an items list")
    base = url or _text(document.get("home_page_url"))
    episodes = _unique(
        episode
        for item in items[:MAX_EPISODES]
        if isinstance(item, dict) and (episode := _episode_from_json(item, base=base))
    )
    return ParsedFeed(
        title=_plain(_text(document.get("title"))),
        link=_absolute(_text(document.get("home_page_url")), base),
        language=_text(document.get("language")).strip(),
        kind=_feed_kind(episodes, youtube=False),
        description=_plain(_text(document.get("description"))),
        image_url=_absolute(_text(document.get("icon")) or _text(document.get("favicon")), base),
        episodes=episodes,
    )


def _episode_from_json(item: dict[str, Any], *, base: str) -> ParsedEpisode | None:
    link = _absolute(_text(item.get("url")) or _text(item.get("external_url")), base)
    attachments = [a for a in item.get("attachments") or [] if isinstance(a, dict)]
    candidates = [
        {
            "url": _text(a.get("url")),
            "type": _text(a.get("mime_type")),
            "length": _text(a.get("size_in_bytes")),
            "source": "enclosure",
        }
        for a in attachments
    ]
    audio, video = _pick_media([c for c in candidates if c["url"].strip()], base=base)
    video_id = youtube_id_from_url(link)
    if _text(item.get("content_html")).strip():
        description_html = sanitize_html(_text(item.get("content_html")), base=base)
    else:
        description_html = text_to_html(
            _text(item.get("content_text")) or _text(item.get("summary"))
        )
    if not (link or audio or video or _text(item.get("id")) or description_html):
        return None  # a bare title: nothing to follow, play or digest
    durations = [a.get("duration_in_seconds") for a in attachments]
    title = _plain(_text(item.get("title"))) or _title_from_url(audio.get("url", ""))
    episode = ParsedEpisode(
        guid="",
        title=title,
        link=link,
        published=_iso_datetime(item.get("date_published") or item.get("date_modified")),
        duration_seconds=next((d for d in map(parse_duration, durations) if d is not None), None),
        audio_url=audio.get("url", ""),
        audio_type=audio.get("type", ""),
        audio_length=audio.get("length"),
        video_url=_youtube_url(video_id) if video_id else video.get("url", ""),
        video_id=video_id,
        description_html=description_html,
        description_text=html_to_text(description_html),
        image_url=_absolute(_text(item.get("image")) or _text(item.get("banner_image")), base),
        tags=_tags([{"term": _text(t)} for t in item.get("tags") or [] if isinstance(t, str)]),
    )
    episode.guid = _guid(_text(item.get("id")), episode)
    return episode


def _text(value: Any) -> str:
    """A JSON value as text: numbers become strings, anything odd becomes ''."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _iso_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        # JSON Feed says RFC 3339, but some generators write RSS-style dates.
        try:
            parsed = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# --------------------------------------------------------------------------- shared helpers


# Bounded digit runs: int() refuses strings over 4300 digits, and no duration needs 10.
_CLOCK = re.compile(r"^(?:(\d{1,6}):)?(\d{1,4}):(\d{1,2}(?:[.,]\d{1,9})?)$")
_SECONDS = re.compile(r"^\d+(?:[.,]\d+)?$")
_UNITS = re.compile(
    r"^(?:(\d{1,4})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,5})\s*m(?:in(?:ute)?s?)?)?"
    r"\s*(?:(\d{1,7})\s*s(?:ec(?:ond)?s?)?)?$",
    re.IGNORECASE,
)


def parse_duration(value: Any) -> int | None:
    """Seconds from '3600', '61:05', '1:01:05', '1:01:05.5', '12.7' or '1h 2m 3s'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _whole_seconds(float(value)) if abs(value) < 1e12 else None
    text = str(value or "").strip()
    if not text:
        return None
    if _SECONDS.match(text):
        return _whole_seconds(float(text.replace(",", ".")))
    if clock := _CLOCK.match(text):
        hours, minutes, seconds = clock.groups()
        second = float(seconds.replace(",", "."))
        if second >= 60 or (hours is not None and int(minutes) >= 60):
            return None  # "1:75:00" is a typo we cannot repair, not 2 h 15 min
        return _whole_seconds(int(hours or 0) * 3600 + int(minutes) * 60 + second)
    units = _UNITS.match(text)
    if units and any(units.groups()):
        hours, minutes, seconds = (int(g or 0) for g in units.groups())
        return _whole_seconds(hours * 3600 + minutes * 60 + seconds)
    return None


def _whole_seconds(value: float) -> int | None:
    # Negative, infinite or absurd (over a year) durations are feed bugs, not lengths.
    if not math.isfinite(value) or value < 0 or value > 366 * 86400:
        return None
    return round(value)


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    """feedparser's UTC struct_time to an aware datetime; None when out of range."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


# Show notes run to a few kilobytes; past this a description is cut before nh3 builds
# its document tree, which for one 14 MB description took 200 MB.
MAX_DESCRIPTION_CHARS = 100_000


def sanitize_html(fragment: str, *, base: str = "") -> str:
    """Keep a small, safe subset of HTML: no scripts, styles, handlers or odd URL schemes.

    With a base URL, relative links are made absolute, as the HTML will be shown
    on another site than the one that wrote it.
    """
    clean = nh3.clean(
        fragment[:MAX_DESCRIPTION_CHARS],
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    ).strip()
    if base and 'href="' in clean:
        clean = _HREF.sub(lambda match: _absolute_href(match, base), clean)
    return clean


# nh3 writes every attribute as name="value", with quotes and ampersands escaped.
_HREF = re.compile(r'(<a\s[^>]*?href=")([^"]*)(")')


def _absolute_href(match: re.Match[str], base: str) -> str:
    link = html.unescape(match.group(2))
    absolute = _absolute(link, base)
    # Resolving against an odd base must not smuggle in a scheme nh3 would have refused.
    if urlsplit(absolute).scheme.lower() not in ALLOWED_URL_SCHEMES:
        absolute = link
    return match.group(1) + html.escape(absolute, quote=True) + match.group(3)


def text_to_html(text: str) -> str:
    """Plain text to escaped HTML paragraphs, keeping line breaks."""
    text = text[:MAX_DESCRIPTION_CHARS]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def _plain(text: str) -> str:
    return " ".join(str(text or "").split())


def _without_user_info(url: str) -> str:
    """The feed's URL as a base for its links: a private feed's credentials (user info)
    are for fetching the feed, and must not spread into the links shown to readers."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _absolute(link: str, base: str) -> str:
    link = (link or "").strip()
    if not link or not base or urlsplit(link).scheme:
        return link
    return urljoin(base, link)


def _title_from_url(url: str) -> str:
    """An untitled episode is named after its file, so editors can still tell it apart."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:200]
