"""How much structure one feed, transcript or OPML file may ask a parser to build.

The fetcher caps bytes (FETCH_MAX_FEED_BYTES, FETCH_MAX_TRANSCRIPT_BYTES); within
those caps a hostile file can still be made of millions of nested elements or tiny
cues, each of which costs the parsers Python objects and time (a 14 MB feed of
2,000,000 nested elements took 41 s and 900 MB). These limits are checked by cheap
passes before the expensive parse, so such a file is refused in well under a second;
bench/parse_limits.py measures it.

Each limit is a Django setting read from the environment (newsroom/settings.py)
when Django is configured, else the default here, so the pure parsers still work
without Django.
"""

from __future__ import annotations

DEFAULTS = {
    # Real feeds nest about ten deep (an Atom entry's XHTML content a few more).
    "FEED_MAX_DEPTH": 100,
    # 5,000 episodes (all a feed keeps) of about 25 elements each, with room to spare.
    "FEED_MAX_ELEMENTS": 200_000,
    # Cues (VTT/SRT arrows), JSON objects or HTML tags: a ten-hour episode timed word
    # by word has about 90,000.
    "TRANSCRIPT_MAX_CUES": 100_000,
    # Lines of any format: three per cue of that ten-hour episode, and a three-hour
    # plain-text transcript has a few thousand.
    "TRANSCRIPT_MAX_LINES": 300_000,
    # A feed reader's whole subscription list is a few hundred kilobytes at most.
    "OPML_MAX_BYTES": 1024 * 1024,
    "OPML_MAX_OUTLINES": 2_000,
}


def limit(name: str) -> int:
    """The limit called `name`: the Django setting if there is one, else its default."""
    default = DEFAULTS[name]
    try:
        from django.conf import settings

        return int(getattr(settings, name, default))
    except Exception:  # ImportError, ImproperlyConfigured: a plain library, use the default
        return default
