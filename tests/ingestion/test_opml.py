"""OPML import and export: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from defusedxml import ElementTree as SafeET

from ingestion.opml import OpmlError, OpmlOutline, build_opml, parse_opml

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Tech" title="Tech">
      <outline type="rss" text="Changelog &amp; Friends" title="ignored when text is set"
               xmlUrl="https://changelog.example/feed" htmlUrl="https://changelog.example/"/>
      <outline text="Security">
        <outline title="Risky Biz" xmlurl="https://risky.example/rss" language="en-AU"/>
      </outline>
      <outline text="Changelog again" xmlUrl="https://changelog.example/feed"/>
    </outline>
    <outline text="Loose" type="RSS" XMLURL="https://loose.example/rss"
             category="/Science/Space,/Other"/>
    <outline text="A note without a feed"/>
    <outline text="  " xmlUrl="   "/>
  </body>
</opml>
"""


def test_nested_outlines_are_flattened_with_their_folder():
    outlines = parse_opml(NESTED)
    assert outlines == [
        OpmlOutline(
            title="Changelog & Friends",
            xml_url="https://changelog.example/feed",
            html_url="https://changelog.example/",
            type="rss",
            language="",
            category="Tech",
        ),
        OpmlOutline(
            title="Risky Biz",
            xml_url="https://risky.example/rss",
            language="en-AU",
            category="Security",
        ),
        OpmlOutline(title="Loose", xml_url="https://loose.example/rss", category="Space"),
    ]


def test_title_falls_back_to_the_feed_url():
    data = b'<opml version="2.0"><body><outline xmlUrl="https://x.example/f"/></body></opml>'
    assert parse_opml(data)[0].title == "https://x.example/f"


def test_empty_body_gives_no_outlines():
    assert parse_opml(b'<opml version="2.0"><head/><body/></opml>') == []


def test_other_encodings_are_honoured():
    data = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<opml version="2.0"><body><outline text="Caf\xe9" xmlUrl="https://c.example/"/>'
        "</body></opml>"
    ).encode("latin-1")
    assert parse_opml(data)[0].title == "Café"


def test_deep_nesting_does_not_recurse():
    depth = 3000
    data = (
        b'<opml version="2.0"><body>'
        + b'<outline text="f">' * depth
        + b'<outline text="deep" xmlUrl="https://deep.example/"/>'
        + b"</outline>" * depth
        + b"</body></opml>"
    )
    assert parse_opml(data)[0].xml_url == "https://deep.example/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<opml><body>", "not well-formed"),
        (b"\xff\xfe\x00garbage", "not well-formed"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_bad_input_gets_a_clear_error(data, message):
    with pytest.raises(OpmlError, match=message):
        parse_opml(data)


def test_entity_expansion_is_refused():
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<opml version="2.0"><body><outline text="&c;" xmlUrl="https://x.example/"/></body></opml>
"""
    with pytest.raises(OpmlError, match="unsafe XML"):
        parse_opml(bomb)


def test_external_entities_are_refused():
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://x.example/"/></body></opml>
"""
    with pytest.raises(OpmlError, match="unsafe XML"):
        parse_opml(xxe)


# ----------------------------------------------------------------------------- export

FEEDS = [
    OpmlOutline(
        title='Tom & "Jerry" <live>',
        xml_url="https://a.example/feed?x=1&y=2",
        html_url="https://a.example/",
        language="fr",
        category="Cartoons & Co",
    ),
    OpmlOutline(title="Plain", xml_url="https://b.example/rss"),
    OpmlOutline(title="Second cartoon", xml_url="https://c.example/rss", category="Cartoons & Co"),
]


def test_build_writes_opml_2():
    created = datetime(2024, 3, 1, 12, 30, tzinfo=UTC)
    data = build_opml(FEEDS, title="newsroom <sources>", created=created)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = SafeET.fromstring(data)
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "newsroom <sources>"
    assert root.findtext("head/dateCreated") == "Fri, 01 Mar 2024 12:30:00 GMT"
    plain = root.find("body/outline[@xmlUrl='https://b.example/rss']")
    assert plain is not None
    assert plain.attrib == {
        "type": "rss",
        "text": "Plain",
        "title": "Plain",
        "xmlUrl": "https://b.example/rss",
    }
    folder = root.find("body/outline[@text='Cartoons & Co']")
    assert folder is not None
    assert [o.get("xmlUrl") for o in folder] == [
        "https://a.example/feed?x=1&y=2",
        "https://c.example/rss",
    ]
    assert folder[0].get("title") == 'Tom & "Jerry" <live>'
    assert folder[0].get("htmlUrl") == "https://a.example/"
    assert folder[0].get("language") == "fr"


def test_build_then_parse_round_trips():
    back = parse_opml(build_opml(FEEDS, title="t"))
    assert sorted(back, key=lambda o: o.xml_url) == sorted(FEEDS, key=lambda o: o.xml_url)


def test_build_drops_characters_xml_cannot_carry():
    odd = [OpmlOutline(title="bell\x07 and nul\x00", xml_url="https://odd.example/")]
    back = parse_opml(build_opml(odd, title="t\x1b"))
    assert back[0].title == "bell and nul"


def test_build_with_nothing():
    assert parse_opml(build_opml([], title="empty")) == []
