"""The grounding check: quotes found in the transcript, tolerant of small differences."""

from __future__ import annotations

import random

import pytest

from articles.transcript_data import Segment
from digests.base import KeyPointData
from digests.grounding import ground_key_points, normalize_words

SEGMENTS = [
    Segment(0.0, 5.0, "A", "Welcome to the show! Today: the state of open-source AI."),
    Segment(5.0, 11.0, "B", "We don't think the new model is ready; it's \"too early\", frankly."),
    Segment(11.0, 18.0, "A", "The company said the launch moves to March, and prices drop by 20%."),
    Segment(18.0, 25.0, "B", "Les élections du comité auront lieu en juin."),
    Segment(None, None, "A", "A cue without any timing at all, from a plain-text transcript."),
    Segment(30.0, 36.0, "B", "Let's start with the smart watch before we part ways."),
]


def point(quote: str) -> KeyPointData:
    return KeyPointData(heading="h", body="b", quote=quote)


def ground_one(quote: str, segments: list[Segment] = SEGMENTS) -> KeyPointData:
    key_point = point(quote)
    ground_key_points([key_point], segments)
    return key_point


@pytest.mark.parametrize(
    ("quote", "start"),
    [
        ("the state of open-source AI", 0.0),  # exact
        ("THE STATE OF OPEN SOURCE AI", 0.0),  # case, hyphen
        ("We don\u2019t think the new model is ready", 5.0),  # curly apostrophe
        ("it's \u201ctoo early,\u201d frankly", 5.0),  # curly quotes, moved comma
        ("  the   launch moves to march  ", 11.0),  # whitespace
        ("les elections du comite", 18.0),  # accents missing (auto-captions)
        ("Today: the state of open-source AI. We don't think", 0.0),  # spans segments
        ("frankly. The company said", 5.0),  # begins at the end of a segment
    ],
)
def test_exact_normalised_matches(quote: str, start: float) -> None:
    key_point = ground_one(quote)
    assert key_point.grounded is True
    assert key_point.start == start


def test_fuzzy_match_tolerates_a_changed_or_dropped_word() -> None:
    # "said" -> "says", "and" dropped: 8 of 9 words in order.
    key_point = ground_one("the company says the launch moves to March, prices drop")
    assert key_point.grounded is True
    assert key_point.start == 11.0


def test_fuzzy_match_tolerates_fillers_in_the_transcript() -> None:
    segments = [
        Segment(0.0, 4.0, "A", "Intro music."),
        Segment(4.0, 9.0, "A", "So um the release is uh basically ready for um production use"),
    ]
    key_point = ground_one("the release is basically ready for production use", segments)
    assert key_point.grounded is True
    assert key_point.start == 4.0


def test_paraphrase_is_not_grounded_and_start_is_kept() -> None:
    key_point = KeyPointData(
        "h", "b", start=99.0, quote="the firm postponed its debut until spring"
    )
    ground_key_points([key_point], SEGMENTS)
    assert key_point.grounded is False
    assert key_point.start == 99.0


def test_scrambled_words_are_not_grounded() -> None:
    # Same bag of words as a transcript passage, but not in its order.
    assert ground_one("March to moves launch the said company the").grounded is False


def test_short_quotes_must_match_exactly_and_whole_words() -> None:
    assert ground_one("prices drop").grounded is True
    assert ground_one("drop prices").grounded is False
    assert ground_one("art with").grounded is False  # not inside "start with"
    assert ground_one("start with").grounded is True


def test_segment_without_time_takes_the_previous_known_start() -> None:
    key_point = ground_one("a cue without any timing at all")
    assert key_point.grounded is True
    assert key_point.start == 18.0


def test_empty_quote_is_not_grounded_and_share_is_returned() -> None:
    key_points = [point("prices drop by 20%"), point(""), point("   "), point("nothing like it")]
    share = ground_key_points(key_points, SEGMENTS)
    assert [kp.grounded for kp in key_points] == [True, False, False, False]
    assert share == 0.25


def test_no_key_points_or_no_transcript() -> None:
    assert ground_key_points([], SEGMENTS) == 0.0
    key_point = point("anything at all here")
    assert ground_key_points([key_point], []) == 0.0
    assert key_point.grounded is False


def test_normalize_words() -> None:
    assert normalize_words("Don\u2019t STOP \u2014 it\u2019s \u00abd\u00e9j\u00e0\u00bb vu!") == [
        "dont",
        "stop",
        "its",
        "deja",
        "vu",
    ]
    assert normalize_words("snake_case and 3.5%") == ["snake", "case", "and", "3", "5"]


def test_a_long_transcript_with_exact_fuzzy_and_absent_quotes() -> None:
    # Its speed (under a second for these ten points) is measured by
    # bench/fault_timing.py; here, that every kind of quote is judged right at length.
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(800)] + ["the", "a", "of", "and", "to", "is"] * 40
    segments = []
    for i in range(1000):  # ~10k words
        words = " ".join(rng.choice(vocabulary) for _ in range(10))
        segments.append(Segment(float(i * 4), float(i * 4 + 4), "S", words))
    all_words = " ".join(s.text for s in segments).split()
    key_points = []
    for n in range(10):
        at = 900 * n + 37
        quote = all_words[at : at + 15]
        if n % 3 == 1:
            quote[5] = "changed"  # fuzzy
        if n % 3 == 2:
            quote = [rng.choice(vocabulary) for _ in range(15)]  # absent
        key_points.append(point(" ".join(quote)))

    share = ground_key_points(key_points, segments)

    grounded = [kp.grounded for kp in key_points]
    assert grounded == [n % 3 != 2 for n in range(10)]
    assert share == pytest.approx(0.7)
    assert key_points[0].start == float((37 // 10) * 4)
