"""The grounding check: is each key point's quote really in the transcript?

A digest is only as trustworthy as its quotes. Models (and captions) differ from
the transcript in small ways: curly quotes, case, punctuation, a dropped "um",
an accent missing from auto-captions. So both sides are normalised to plain
lower-case words first; a quote is grounded when its words appear contiguously
in the transcript, or, failing that, when a window of the transcript of about
the quote's length holds at least FUZZY_THRESHOLD of its words, mostly in order.

The work is done on word lists, in one pass per quote with a sliding window, so
a 10k-word transcript with ten key points checks in milliseconds.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from articles.transcript_data import Segment
from digests.base import KeyPointData

# Share of a quote's words that a transcript window must hold for a fuzzy match.
FUZZY_THRESHOLD = 0.8
# Below this many words, a bag-of-words match is too likely by chance ("it is the"),
# so short quotes must match exactly.
FUZZY_MIN_WORDS = 4
# Windows checked in order (the costly step) per quote, best bag-of-words first.
FUZZY_MAX_CANDIDATES = 25

# Apostrophes join ("don't" and "dont" both become "dont"); other punctuation splits.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u0060\u00b4]")
_NON_WORD = re.compile(r"[^\w]+")


def normalize_words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation: the unit both sides compare."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.casefold())
    return [w for w in _NON_WORD.sub(" ", text).replace("_", " ").split() if w]


@dataclass(slots=True)
class _TranscriptIndex:
    """The transcript as one word list, with the segment each word came from."""

    words: list[str]
    word_segment: list[int]  # index into segments, per word
    joined: str  # " word word ... " (padded) for exact substring search
    word_offsets: list[int]  # offset of each word in `joined`

    @classmethod
    def build(cls, segments: list[Segment]) -> _TranscriptIndex:
        words: list[str] = []
        word_segment: list[int] = []
        for index, segment in enumerate(segments):
            seg_words = normalize_words(segment.text or "")
            words.extend(seg_words)
            word_segment.extend([index] * len(seg_words))
        offsets: list[int] = []
        position = 1  # after the leading pad space
        for word in words:
            offsets.append(position)
            position += len(word) + 1
        return cls(words, word_segment, " " + " ".join(words) + " ", offsets)

    def find_exact(self, quote: list[str]) -> int | None:
        """Index of the first word of the first exact occurrence, or None."""
        # Padding with spaces makes the search whole-word: "art" does not match "start".
        at = self.joined.find(" " + " ".join(quote) + " ")
        if at < 0:
            return None
        return bisect.bisect_left(self.word_offsets, at + 1)

    def find_fuzzy(self, quote: list[str]) -> int | None:
        """Index of the first matching word of the best near-occurrence, or None."""
        if len(quote) < FUZZY_MIN_WORDS or not self.words:
            return None
        candidates: list[tuple[int, int, int]] = []  # (-overlap, start, size)
        # The transcript may hold a few more words than the quote (fillers the model dropped).
        for size in sorted({len(quote), len(quote) + max(1, len(quote) // 4)}):
            candidates.extend(_windows_with_overlap(self.words, quote, size))
        candidates.sort()
        for _neg_overlap, start, size in candidates[:FUZZY_MAX_CANDIDATES]:
            first = _ordered_match_start(quote, self.words[start : start + size])
            if first is not None:
                return start + first
        return None


def _windows_with_overlap(
    words: list[str], quote: list[str], size: int
) -> list[tuple[int, int, int]]:
    """Windows of `size` words holding at least FUZZY_THRESHOLD of the quote's words.

    The count of shared words (as multisets) is updated in O(1) per step as the
    window slides, so this is linear in the transcript's length.
    """
    need = Counter(quote)
    minimum = FUZZY_THRESHOLD * len(quote)
    have: Counter[str] = Counter()
    shared = 0
    found: list[tuple[int, int, int]] = []
    for end, word in enumerate(words):
        if have[word] < need[word]:
            shared += 1
        have[word] += 1
        start = end - size + 1
        if start > 0:
            gone = words[start - 1]
            have[gone] -= 1
            if have[gone] < need[gone]:
                shared -= 1
        if start >= 0 and shared >= minimum:
            found.append((-shared, start, size))
    if not found and len(words) < size:
        # A quote longer than the whole transcript: compare against all of it.
        shared = sum((Counter(words) & need).values())
        if shared >= minimum:
            found.append((-shared, 0, len(words)))
    return found


def _ordered_match_start(quote: list[str], window: list[str]) -> int | None:
    """Where the quote starts in the window if enough of its words come in order."""
    blocks = SequenceMatcher(None, quote, window, autojunk=False).get_matching_blocks()
    matched = sum(b.size for b in blocks)
    if matched < FUZZY_THRESHOLD * len(quote):
        return None
    return next(b.b for b in blocks if b.size)


def _segment_start(segments: list[Segment], index: int) -> float | None:
    """The segment's start time, or the closest earlier known one (some cues lack times)."""
    for segment in reversed(segments[: index + 1]):
        if segment.start is not None:
            return float(segment.start)
    return None


def ground_key_points(key_points: list[KeyPointData], segments: list[Segment]) -> float:
    """Mark each key point grounded or not, set its start time, return the grounded share.

    A key point's `start` is set to the start of the segment where its quote
    begins; it is left as it was when the quote is not found. With no key points
    the share is 0: a digest without evidence is not grounded.
    """
    if not key_points:
        return 0.0
    index = _TranscriptIndex.build(segments)
    grounded = 0
    for key_point in key_points:
        quote = normalize_words(key_point.quote or "")
        at = (index.find_exact(quote) if quote else None) if index.words else None
        if at is None and quote:
            at = index.find_fuzzy(quote)
        key_point.grounded = at is not None
        if at is not None:
            grounded += 1
            key_point.start = _segment_start(segments, index.word_segment[at])
    return grounded / len(key_points)
