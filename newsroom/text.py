"""HTML to readable plain text: the one converter for show notes, feed titles and model output.

It lives in the project package because it knows no model: ingestion (show notes, feed
titles, the show-notes transcript) and digests (a model's answer) both need it, and
neither may import the other.
"""

from __future__ import annotations

import html
import re

import nh3

# Elements whose end (or start) is a line break when read as text.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "dd",
        "dt",
    }
)
# Elements whose content is not text a reader sees: it is dropped, not shown as words.
# Not "head": its end tag is optional, and everything in it that is text is listed here.
HIDDEN_TAGS = frozenset(
    {
        "script",
        "style",
        "title",
        "template",
        "noscript",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
    }
)

# A newline goes in front of every block start or end and every <br>; the parser then
# drops the tags themselves. Inserting (rather than replacing the tag with a regex) keeps
# an attribute that contains ">" from leaking into the text.
_BREAK = re.compile(
    r"(?=<(?:br|/?(?:" + "|".join(sorted(BLOCK_TAGS, key=len, reverse=True)) + r"))\b)",
    re.IGNORECASE,
)


def html_to_text(fragment: str) -> str:
    """Readable text from an HTML fragment: one line per block or <br>, no empty lines.

    Entities are decoded, white space inside a line is collapsed, and the content of
    scripts, styles, frames and the like is dropped. A real HTML parser (nh3, html5ever)
    reads the markup, so `x < y` stays text. The result is text, not HTML: it may hold
    `<` again (from `&lt;`), and whoever shows it must escape it.
    """
    if not fragment:
        return ""
    marked = _BREAK.sub("\n", fragment)
    text = html.unescape(
        nh3.clean(marked, tags=set(), clean_content_tags=set(HIDDEN_TAGS), strip_comments=True)
    )
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
