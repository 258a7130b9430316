"""Hostile content and the checks that prove it stays inert.

`build_corpus()` pushes markup through the paths real content takes: a podcast feed
given to `source_poll`, a JSON transcript parsed and given to `transcript_store`,
show notes turned into a transcript by `transcript_fetch`, a digest written by
`_digest_write` with the markup an LLM answer could carry, and a second digest
asked of the real LLM backend from a fake OpenAI-compatible server that answers
with markup. Every payload names the field it was put in (`xss-title`,
`xss-speaker`…), so a failure says which field leaked.

`live_markup()` parses a page with html.parser, the way a browser tokenises it, and
lists what would run or restyle the page: a <script> or <style> element, an on*
attribute, a javascript: URL, a CSS expression, all carrying one of our markers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import format_datetime
from html.parser import HTMLParser
from xml.sax.saxutils import escape as xml_escape

from django.utils import timezone

MARKER = "xss-"


def payload(name: str) -> str:
    """Every kind of injection at once, each one calling alert() with the field's marker.

    The attribute breakouts ("'> and </title>, </textarea>) target the places a value
    lands in a template: attributes (meta tags, inputs), <title>, admin textareas.
    """
    m = f"{MARKER}{name}"
    return (
        f"<script>alert('{m}')</script>"
        f"<img src=x onerror=\"alert('{m}')\">"
        f"<a href=\"javascript:alert('{m}')\">link-{m}</a>"
        f"<style>body{{background:url(\"javascript:alert('{m}')\")}}</style>"
        f"<b style=\"width:expression(alert('{m}'))\">bold-{m}</b>"
        f"\"'><svg onload=alert('{m}')>"
        f"</title></textarea><script>alert('{m}')</script>"
    )


def short_payload(name: str) -> str:
    """For fields of 100 characters at most (tags)."""
    return f"\"><img src=x onerror=alert('{MARKER}{name}')>"


# The fields a payload goes into, by how it gets there.
FEED_FIELDS = ("source", "title", "title2")
TAGS = (short_payload("tag"), f"javascript:alert('{MARKER}tag2')", "<script>xss-tag3</script>")
TRANSCRIPT_FIELDS = ("speaker", "segment")
DIGEST_FIELDS = ("tldr", "heading", "body", "quote", "conclusion")
NOTES_WORDS = (
    "The hosts spend the hour on a new release and on how the team tested it. "
    "They walk through the benchmarks, the migration guide and the questions listeners "
    "sent in, then close with what comes next for the project and its community. "
)


def hostile_rss(*, published) -> bytes:
    """A podcast feed whose every text field is hostile.

    Item A carries a payload in its title, show notes and categories. Item B's show
    notes, long enough to be summarised, carry a payload both as markup (which the
    sanitiser removes) and as escaped text (which becomes transcript text), and its
    links use javascript: URLs, which ingestion must drop.
    """
    date = format_datetime(published)
    notes_b = (
        f"<p>{NOTES_WORDS}</p><p>{xml_escape(payload('notes'))}</p>"
        f"{payload('notes-markup')}<p>{NOTES_WORDS}</p>"
    )
    categories = "".join(f"<category>{xml_escape(tag)}</category>" for tag in TAGS)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
  <title>{xml_escape(payload("source"))}</title>
  <link>javascript:alert('{MARKER}channel-link')</link>
  <description>{xml_escape(payload("channel"))}</description>
  <item>
    <title>{xml_escape(payload("title"))}</title>
    <guid isPermaLink="false">urn:test:hostile-a</guid>
    <link>https://shows.example.org/hostile-a</link>
    <pubDate>{date}</pubDate>
    <description>{xml_escape(payload("notes-a"))}</description>
    {categories}
    <enclosure url="https://cdn.example.org/hostile-a.mp3" type="audio/mpeg" length="1"/>
  </item>
  <item>
    <title><![CDATA[{payload("title2")}]]></title>
    <guid isPermaLink="false">urn:test:hostile-b</guid>
    <link>javascript:alert('{MARKER}item-link')</link>
    <itunes:image href="javascript:alert('{MARKER}image')"/>
    <pubDate>{date}</pubDate>
    <description><![CDATA[{notes_b}]]></description>
  </item>
</channel>
</rss>""".encode()


def hostile_json_transcript() -> bytes:
    """A podcast:transcript JSON file whose speakers and words are hostile."""
    segments = [
        {"startTime": 0.0, "endTime": 5.0, "speaker": payload("speaker"), "body": "Welcome."},
        {"startTime": 5.0, "endTime": 12.0, "speaker": "Guest", "body": payload("segment")},
        {"startTime": 12.0, "endTime": 20.0, "speaker": "Host", "body": "That is all for today."},
    ]
    return json.dumps({"version": "1.0.0", "segments": segments}).encode()


def hostile_llm_answer() -> dict:
    """What an LLM told to summarise hostile text might answer: markup everywhere, in
    an answer that is otherwise valid (five points, three tags), so that it is stored."""
    points = [
        {
            "heading": payload(f"llm-heading{i}"),
            "body": payload(f"llm-body{i}"),
            "quote": "The hosts spend the hour on a new release",
        }
        for i in range(5)
    ]
    return {
        "tldr": payload("llm-tldr"),
        "key_points": points,
        "conclusion": payload("llm-conclusion"),
        "score_parts": {"substance": 8, "novelty": 8, "clarity": 8, "relevance": 8},
        "topic": "ai",
        "tags": [short_payload("llm-tag"), "<b>llm-tag2</b>", "javascript:alert(3)"],
    }


@dataclass
class Corpus:
    source: object
    article: object  # item A: hostile title, tags, transcript and digest
    notes_article: object  # item B: show notes made into a transcript, LLM digest
    markers: dict[str, list[str]] = field(default_factory=dict)


def build_corpus(*, llm_base_url: str = "") -> Corpus:
    """Ingest the hostile feed, transcript and digests; publish both articles.

    With `llm_base_url` (a fake server answering `hostile_llm_answer()`), item B's
    digests come from the real LLM backend; without, from the offline one.
    """
    from django.test import override_settings

    from articles import services as articles_services
    from articles.models import Article
    from digests import services as digests_services
    from digests.base import DigestData, KeyPointData
    from ingestion import services as ingestion_services
    from ingestion.models import Source, Transcript
    from ingestion.transcripts import parse_transcript

    published = timezone.now() - timedelta(hours=1)
    source = ingestion_services.source_create(
        feed_url="https://feeds.example.org/hostile.xml", kind=Source.Kind.PODCAST
    )
    result = ingestion_services.source_poll(source=source, data=hostile_rss(published=published))
    assert result.error == "", result.error
    source.refresh_from_db()
    article = Article.objects.get(source=source, guid="urn:test:hostile-a")
    notes_article = Article.objects.get(source=source, guid="urn:test:hostile-b")

    parsed = parse_transcript(hostile_json_transcript(), content_type="application/json")
    transcript = ingestion_services.transcript_store(
        article=article,
        origin=Transcript.Origin.FEED,
        segments=parsed.segments,
        format=parsed.format,
        source_url="https://shows.example.org/hostile-a.json",
    )
    data = DigestData(
        language="en",
        tldr=payload("tldr") + "\n" + payload("tldr-line2"),
        key_points=[
            KeyPointData(
                heading=payload("heading"),
                body=payload("body"),
                quote=payload("quote"),
                start=5.0,
                grounded=True,
            )
        ],
        conclusion=payload("conclusion"),
        score=8.0,
        score_parts={"substance": 8, "novelty": 8, "clarity": 8, "relevance": 8},
        topic="ai",
        tags=[],
        backend="llm",
        model="hostile-model",
        version="test",
    )
    # The write an LLM answer goes through, given the markup as if the backend's own
    # clean-up had let it pass: the pages must escape it by themselves.
    digests_services._digest_write(
        article=article, data=data, from_show_notes=False, seen_version=transcript.updated_at
    )

    ingestion_services.transcript_fetch(article=notes_article)
    if llm_base_url:
        with override_settings(
            LLM_BASE_URL=llm_base_url, LLM_MODEL="fake-model", LLM_API_KEY="test-key"
        ):
            digests_services.digest_make(article=notes_article, backend="llm")
    else:
        digests_services.digest_make(article=notes_article)

    articles_services.articles_publish(article_ids=[article.pk, notes_article.pk])
    article.refresh_from_db()
    notes_article.refresh_from_db()
    return Corpus(source=source, article=article, notes_article=notes_article)


# --- Finding live markup ---------------------------------------------------------------------

# What a browser ignores before a URL's scheme: spaces and control characters.
_URL_NOISE = re.compile(r"[\x00-\x20]+")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


@dataclass
class Finding:
    what: str
    detail: str

    def __str__(self) -> str:
        return f"{self.what}: {self.detail[:160]}"


class _LiveMarkup(HTMLParser):
    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.findings: list[Finding] = []
        self.text: list[str] = []
        self.values: list[str] = []  # attribute values: what inputs and meta tags show
        self._raw: str | None = None  # inside <script> or <style>
        self._raw_tag = ""
        self._raw_attrs: dict[str, str] = {}
        self._raw_parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        self.values.extend(attributes.values())
        for name, value in attributes.items():
            if name.startswith("on"):
                self.findings.append(Finding(f"<{tag} {name}=…> event handler", value))
            if name in URL_ATTRIBUTES:
                bare = _URL_NOISE.sub("", value).lower()
                if bare.startswith(DANGEROUS_SCHEMES):
                    self.findings.append(Finding(f"<{tag} {name}=…> script URL", value))
            if name == "style" and (
                self.marker in value or "expression(" in value.lower() or "javascript:" in value
            ):
                self.findings.append(Finding(f"<{tag} style=…> injected CSS", value))
            refresh = tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh"
            if refresh and name == "content" and "javascript:" in value.lower():
                self.findings.append(Finding("<meta refresh> to a script URL", value))
            if tag in {"base", "svg", "iframe", "object", "embed"} and self.marker in value:
                self.findings.append(Finding(f"<{tag}> injected", value))
        if tag in {"script", "style"}:
            self._raw_tag, self._raw_attrs, self._raw_parts = tag, attributes, []
            self._raw = tag

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self._raw and tag == self._raw_tag:
            content = "".join(self._raw_parts)
            src = self._raw_attrs.get("src", "")
            if self.marker in content or self.marker in src:
                self.findings.append(Finding(f"<{tag}> with injected content", content or src))
            self._raw = None

    def handle_data(self, data):
        if self._raw:
            self._raw_parts.append(data)
        else:
            self.text.append(data)


def parse_page(html: str, *, marker: str = MARKER) -> tuple[list[Finding], str]:
    """(what would run or restyle the page, its text and attribute values)."""
    parser = _LiveMarkup(marker)
    parser.feed(html)
    parser.close()
    return parser.findings, "".join(parser.text) + "\n".join(parser.values)


def live_markup(html: str, *, marker: str = MARKER) -> list[Finding]:
    return parse_page(html, marker=marker)[0]


def assert_inert(html: str, *, where: str, shown: tuple[str, ...] = ()) -> None:
    """No live markup in `html`; each of `shown` (field names) appears as text.

    The second half proves the check is not vacuous: the field really is on the page,
    escaped into visible text.
    """
    findings, text = parse_page(html)
    assert not findings, f"{where}: live markup:\n" + "\n".join(f"  {f}" for f in findings)
    missing = [name for name in shown if f"alert('{MARKER}{name}')" not in text]
    assert not missing, f"{where}: these fields are not shown as text: {missing}"
