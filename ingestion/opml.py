"""OPML subscription lists in and out: pure functions over bytes, no database.

OPML files come from other feed readers and from anyone an editor trusts enough to
upload one, so they are parsed with defusedxml (no entity expansion, no external
references), and bounded: at most OPML_MAX_BYTES of input and OPML_MAX_OUTLINES
feeds (ingestion/limits.py), since every feed becomes a source to poll.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # building only; parsing goes through defusedxml
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ingestion.limits import limit

__all__ = ["OpmlError", "OpmlOutline", "build_opml", "check_opml_size", "parse_opml"]


class OpmlError(ValueError):
    """The data is not a usable OPML document; the message says why in one line."""


@dataclass(frozen=True)
class OpmlOutline:
    title: str
    xml_url: str
    html_url: str = ""
    type: str = "rss"
    language: str = ""
    # The folder the feed sits in (its parent outline's text), else its own
    # `category` attribute; "" when neither exists.
    category: str = ""


# ----------------------------------------------------------------------------- parse


def _local_name(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _attrs(element: ET.Element) -> dict[str, str]:
    # Exporters disagree on case (xmlUrl, xmlurl, XMLURL); compare without it.
    return {name.lower(): value.strip() for name, value in element.attrib.items()}


def _outline_children(element: ET.Element) -> list[ET.Element]:
    return [child for child in element if _local_name(child.tag) == "outline"]


def _first_category(value: str) -> str:
    """OPML 2.0 `category` is comma-separated /slash/paths; take the first leaf."""
    first = value.split(",", 1)[0].strip().strip("/")
    return first.rsplit("/", 1)[-1].strip()


def _folder_name(attrs: dict[str, str]) -> str:
    return attrs.get("text") or attrs.get("title") or ""


def _walk(body: ET.Element) -> Iterator[tuple[ET.Element, str]]:
    """Every outline under body, with the name of its nearest enclosing folder.

    Iterative, so a deeply nested file cannot exhaust the recursion limit.
    """
    stack: list[tuple[ET.Element, str]] = [
        (child, "") for child in reversed(_outline_children(body))
    ]
    while stack:
        element, folder = stack.pop()
        yield element, folder
        children = _outline_children(element)
        if children:
            name = _folder_name(_attrs(element)) or folder
            stack.extend((child, name) for child in reversed(children))


def _to_outline(attrs: dict[str, str], folder: str) -> OpmlOutline:
    xml_url = attrs["xmlurl"]
    return OpmlOutline(
        title=attrs.get("text") or attrs.get("title") or xml_url,
        xml_url=xml_url,
        html_url=attrs.get("htmlurl", ""),
        type=(attrs.get("type") or "rss").lower(),
        language=attrs.get("language", ""),
        category=folder or _first_category(attrs.get("category", "")),
    )


def check_opml_size(size: int) -> None:
    """Raise OpmlError when a file of `size` bytes is over OPML_MAX_BYTES (callers
    holding a file check its size before reading it)."""
    max_bytes = limit("OPML_MAX_BYTES")
    if size > max_bytes:
        raise OpmlError(
            f"OPML file too large: {size:,} bytes (the limit is {max_bytes:,}, OPML_MAX_BYTES)"
        )


def _parse_root(data: bytes) -> ET.Element:
    if not data or not data.strip():
        raise OpmlError("empty OPML document")
    check_opml_size(len(data))
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise OpmlError(f"unsafe XML refused: {type(exc).__name__}")
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML: {exc}")


def parse_opml(data: bytes) -> list[OpmlOutline]:
    """The feeds listed in an OPML document, nested folders flattened, in order.

    Outlines without an xmlUrl are folders (or plain notes) and are not returned;
    a feed listed twice is returned once, where it first appears. A file over
    OPML_MAX_BYTES, or listing more than OPML_MAX_OUTLINES feeds, raises OpmlError.
    """
    root = _parse_root(data)
    if _local_name(root.tag) != "opml":
        raise OpmlError(f"not an OPML document (root element is <{_local_name(root.tag)}>)")
    body = next((child for child in root if _local_name(child.tag) == "body"), None)
    if body is None:
        raise OpmlError("OPML document has no <body>")
    outlines: list[OpmlOutline] = []
    seen: set[str] = set()
    listed = 0  # feeds as the file lists them, repeats included: the limit is on the file
    for element, folder in _walk(body):
        attrs = _attrs(element)
        if not attrs.get("xmlurl"):
            continue
        listed += 1
        if attrs["xmlurl"] in seen:
            continue
        seen.add(attrs["xmlurl"])
        outlines.append(_to_outline(attrs, folder))
    max_outlines = limit("OPML_MAX_OUTLINES")
    if listed > max_outlines:
        raise OpmlError(
            f"too many feeds in one OPML file: {listed:,} (the limit is {max_outlines:,}, "
            "OPML_MAX_OUTLINES); split the file"
        )
    return outlines


# ----------------------------------------------------------------------------- build

# Characters XML 1.0 cannot carry at all, even escaped; a feed title with a stray
# control character must not make the whole export unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _outline_element(parent: ET.Element, outline: OpmlOutline) -> None:
    attrs = {
        "type": outline.type or "rss",
        "text": outline.title or outline.xml_url,
        "title": outline.title or outline.xml_url,
        "xmlUrl": outline.xml_url,
    }
    if outline.html_url:
        attrs["htmlUrl"] = outline.html_url
    if outline.language:
        attrs["language"] = outline.language
    ET.SubElement(parent, "outline", {name: _clean(value) for name, value in attrs.items()})


def _grouped(outlines: Iterable[OpmlOutline]) -> dict[str, list[OpmlOutline]]:
    """Outlines by category, keeping first-seen order; "" holds the uncategorised."""
    groups: dict[str, list[OpmlOutline]] = {}
    for outline in outlines:
        groups.setdefault(outline.category, []).append(outline)
    return groups


def build_opml(
    outlines: Iterable[OpmlOutline], *, title: str, created: datetime | None = None
) -> bytes:
    """An OPML 2.0 document (UTF-8 bytes) listing `outlines`.

    Feeds with a category are written inside a folder outline of that name, so that
    parse_opml(build_opml(x)) gives x back.
    """
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _clean(title)
    when = created or datetime.now(UTC)
    ET.SubElement(head, "dateCreated").text = format_datetime(when.astimezone(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    for category, members in _grouped(outlines).items():
        parent = body
        if category:
            name = _clean(category)
            parent = ET.SubElement(body, "outline", {"text": name, "title": name})
        for outline in members:
            _outline_element(parent, outline)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
