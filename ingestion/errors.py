"""Exceptions shared by the pure parsers.

Every message is one line meant for people: it ends up on a Source or an
Episode in the admin and on the stderr of the inspect commands, so it must say
what is wrong with the input without a traceback.
"""

from __future__ import annotations


class ParseError(ValueError):
    """The input could not be turned into usable data; str(error) says why, in one line."""

    def __init__(self, message: str) -> None:
        # Collapse newlines and runs of spaces so the message always fits one line.
        super().__init__(" ".join(str(message).split()))


class FeedError(ParseError):
    """The bytes are not a usable RSS, Atom or JSON feed (or are hostile XML)."""


class TranscriptError(ParseError):
    """The transcript is empty, malformed or of a format we do not read."""
