"""The offline extractive summariser, judged by what a reader of the digest would notice.

Pure tests: no database, no network. The fixtures are invented episodes written for
these tests: an English crypto podcast (greetings, a sponsor read, fillers, seven
subjects) and a French tech podcast.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from articles.transcript_data import Segment
from digests.backends import default_topic_choices, get_summarizer
from digests.base import (
    SCORE_PARTS,
    DigestData,
    SummarizationError,
    TranscriptInput,
    score_from_parts,
)
from digests.extractive import (
    ExtractiveSummarizer,
    detect_language,
    prepare,
)
from ingestion.transcripts import parse_transcript

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "summarization"
EN_FIXTURE = FIXTURES / "crypto_podcast_en.txt"
FR_FIXTURE = FIXTURES / "tech_podcast_fr.txt"

EN_FILLER = re.compile(r"\b(um|uh|erm|you know|i mean)\b", re.IGNORECASE)
FR_FILLER = re.compile(r"\b(euh|heu|du coup|en fait|voilà|bah|ben)\b", re.IGNORECASE)


def segments_of(path: Path) -> list[Segment]:
    return parse_transcript(path.read_bytes(), filename=path.name).segments


def summarize(segments: list[Segment], language: str) -> DigestData:
    return ExtractiveSummarizer().summarize(
        TranscriptInput(segments=segments, language=language),
        language=language,
        topics=default_topic_choices(language),
    )


@pytest.fixture(scope="module")
def en_segments() -> list[Segment]:
    return segments_of(EN_FIXTURE)


@pytest.fixture(scope="module")
def en_digest(en_segments: list[Segment]) -> DigestData:
    return summarize(en_segments, "en")


@pytest.fixture(scope="module")
def fr_digest() -> DigestData:
    return summarize(segments_of(FR_FIXTURE), "fr")


def shown_text(digest: DigestData) -> str:
    """Everything a reader sees, quotes aside (quotes are verbatim on purpose)."""
    parts = [digest.tldr, digest.conclusion]
    for point in digest.key_points:
        parts += [point.heading, point.body]
    return " ".join(parts)


def sentence_count(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


# --------------------------------------------------------------------------- content


def test_no_filler_greeting_sponsor_or_housekeeping_reaches_the_digest(en_digest):
    text = shown_text(en_digest)
    assert not EN_FILLER.search(text), EN_FILLER.search(text)
    lowered = text.lower()
    for unwanted in (
        "vaultbox",
        "code chain",
        "percent off",
        "sponsor",
        "subscribe",
        "show notes",
        "welcome back",
        "thanks for listening",
        "see you next week",
    ):
        assert unwanted not in lowered, unwanted
    # Stutters are gone too: "The the flows", "So the the keys".
    assert not re.search(r"\b(\w+) \1\b", lowered)


def test_the_digest_covers_the_episode_rather_than_its_first_minutes(en_digest, en_segments):
    last_start = en_segments[-1].start
    starts = [p.start for p in en_digest.key_points]
    assert starts[-1] > last_start * 0.6
    assert starts[0] < last_start * 0.4


def test_five_to_ten_key_points_each_with_a_short_heading_and_a_body(en_digest):
    assert 5 <= len(en_digest.key_points) <= 10
    headings = [p.heading for p in en_digest.key_points]
    assert len(set(headings)) == len(headings)
    for point in en_digest.key_points:
        assert point.heading and len(point.heading.split()) <= 6, point.heading
        assert point.heading[0].isupper()
        assert not point.heading.endswith((".", ",", ":"))
        assert len(point.body.split()) >= 6
        assert 1 <= sentence_count(point.body) <= 3


def test_tldr_has_two_or_three_sentences_and_the_conclusion_comes_from_the_end(
    en_digest, en_segments
):
    assert 2 <= sentence_count(en_digest.tldr) <= 3
    closing = " ".join(s.text for s in en_segments[-8:])
    assert en_digest.conclusion.rstrip(".")[-30:] in closing


def test_each_quote_is_verbatim_from_the_segment_the_key_point_starts_at(en_digest, en_segments):
    by_start = {s.start: s for s in en_segments}
    for point in en_digest.key_points:
        assert len(point.quote.split()) >= 6
        assert point.start in by_start, point.start
        assert point.quote in by_start[point.start].text


def test_key_point_starts_are_segment_seconds_in_increasing_order(en_digest, en_segments):
    starts = [p.start for p in en_digest.key_points]
    assert all(isinstance(s, float) for s in starts)
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert set(starts) <= {s.start for s in en_segments}


def test_the_body_says_what_its_segment_says(en_digest, en_segments):
    """The moment a reader jumps to holds the body's first words (fillers aside)."""
    by_start = {s.start: s for s in en_segments}
    for point in en_digest.key_points:
        said = re.sub(r"\W+", " ", by_start[point.start].text.lower())
        first_words = re.sub(r"\W+", " ", point.body.lower()).split()[:4]
        assert all(w in said.split() for w in first_words), (first_words, said)


def test_score_is_0_to_10_with_one_decimal_and_explained_by_its_parts(en_digest):
    assert 0 <= en_digest.score <= 10
    assert round(en_digest.score, 1) == en_digest.score
    assert set(en_digest.score_parts) == set(SCORE_PARTS)
    assert all(0 <= v <= 10 for v in en_digest.score_parts.values())
    assert en_digest.score == score_from_parts(en_digest.score_parts)


def test_an_obviously_crypto_episode_gets_the_crypto_topic_and_fitting_tags(en_digest):
    assert en_digest.topic == "crypto"
    assert 3 <= len(en_digest.tags) <= 8
    assert all(len(t) <= 40 for t in en_digest.tags)
    # Names keep their capitals, as a reader writes them.
    assert {"Bitcoin", "ETF"} <= set(en_digest.tags)


def test_no_topic_when_nothing_fits():
    sentences = [
        "Good bread starts with flour, water, salt and a lot of patience in the kitchen.",
        "The dough needs to rest for at least twelve hours in a cool place before shaping.",
        "A sourdough starter is fed every morning with equal weights of flour and water.",
        "Bakers score the loaf with a sharp blade so that it opens evenly in the oven.",
        "The oven should be preheated to two hundred and fifty degrees with a heavy pot.",
        "Steam in the first twenty minutes gives the crust its shine and its crackle.",
        "After baking, the loaf must cool completely before anyone is allowed to cut it.",
        "Rye flour makes a denser crumb and a deeper, slightly sour flavour in the bread.",
        "Whole wheat flour absorbs more water, so the dough needs a little more hydration.",
        "Seeds like sesame and sunflower can be folded into the dough after the first rise.",
        "A cold kitchen slows fermentation, which is useful when the schedule is busy.",
        "Most home bakers get a good loaf by their third attempt if they keep notes.",
    ]
    segments = [Segment(float(i * 10), None, "Host", s) for i, s in enumerate(sentences)]
    digest = summarize(segments, "en")
    assert digest.topic == ""


# --------------------------------------------------------------------------- French


def test_a_french_episode_gives_a_french_digest_without_french_fillers(fr_digest):
    assert fr_digest.language == "fr"
    text = shown_text(fr_digest)
    assert detect_language(text) == "fr"
    assert detect_language(fr_digest.tldr) == "fr"
    assert not FR_FILLER.search(text), FR_FILLER.search(text)
    for unwanted in ("nuagevert", "code promo", "abonnez", "bienvenue", "merci de nous avoir"):
        assert unwanted not in text.lower(), unwanted
    assert 5 <= len(fr_digest.key_points) <= 10
    assert fr_digest.topic == "ai"


def test_french_quotes_are_verbatim_too(fr_digest):
    segments = segments_of(FR_FIXTURE)
    for point in fr_digest.key_points:
        assert any(point.quote in s.text for s in segments), point.quote


def test_language_detection():
    assert detect_language(EN_FIXTURE.read_text(encoding="utf-8")) == "en"
    assert detect_language(FR_FIXTURE.read_text(encoding="utf-8")) == "fr"


# --------------------------------------------------------------------------- cleaning


@pytest.mark.parametrize(
    ("language", "said", "cleaned"),
    [
        (
            "en",
            "Um, so we we need, you know, a plan for the launch.",
            "We need a plan for the launch.",
        ),
        (
            "en",
            "Uh the the new chip ships in June, I mean, probably.",
            "The new chip ships in June probably.",
        ),
        (
            "en",
            "I think the targ target group is people under thirty.",
            "The target group is people under thirty.",
        ),
        (
            "fr",
            "Euh, du coup, en fait on a lancé le nouveau modèle hier.",
            "On a lancé le nouveau modèle hier.",
        ),
        (
            "fr",
            "Ben la puce consomme, tu vois, cinq fois moins d'énergie.",
            "La puce consomme cinq fois moins d'énergie.",
        ),
    ],
)
def test_fillers_and_disfluencies_are_removed(language, said, cleaned):
    prepared = prepare(TranscriptInput([Segment(0.0, None, "A", said)], language), language)
    assert [s.text for s in prepared.sentences] == [cleaned]


def test_sentences_remember_their_segment_and_start():
    segments = [
        Segment(0.0, 4.0, "A", "The first point is about chips. It continues"),
        Segment(4.0, 8.0, "A", "across captions here. A third sentence ends now."),
    ]
    sentences = prepare(TranscriptInput(segments, "en"), "en").sentences
    assert [(s.text, s.start) for s in sentences] == [
        ("The first point is about chips.", 0.0),
        ("It continues across captions here.", 0.0),
        ("A third sentence ends now.", 4.0),
    ]


def test_unpunctuated_captions_still_give_a_grounded_digest(en_segments):
    """Auto-captions: short timed lines, lower case, no punctuation at all."""
    words = " ".join(s.text for s in en_segments)
    words = re.sub(r"[^\w\s'-]", "", words).lower().split()
    captions = [
        Segment(float(i), float(i + 3), "", " ".join(words[i : i + 8]))
        for i in range(0, len(words), 8)
    ]
    digest = summarize(captions, "en")
    assert 5 <= len(digest.key_points) <= 10
    for point in digest.key_points:
        assert any(point.quote in c.text for c in captions)
        assert len(point.body.split()) <= 60


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "segments",
    [
        [],
        [Segment(0.0, None, "A", "   ")],
        [Segment(0.0, None, "A", "Hello everyone and welcome. Um, yeah. Thanks, bye!")],
    ],
)
def test_an_empty_or_tiny_transcript_is_refused_with_a_clear_message(segments):
    with pytest.raises(SummarizationError, match="too short"):
        summarize(segments, "en")


def test_the_extractive_backend_writes_the_episodes_own_language_only(en_segments):
    with pytest.raises(SummarizationError, match="own language only"):
        ExtractiveSummarizer().summarize(
            TranscriptInput(segments=en_segments, language="en"), language="fr"
        )


def test_the_digest_is_deterministic(en_segments, en_digest):
    assert summarize(en_segments, "en") == en_digest


def test_backend_identity(en_digest):
    assert en_digest.backend == "extractive"
    assert en_digest.version.startswith("extractive-")
    assert isinstance(get_summarizer("extractive"), ExtractiveSummarizer)
    with pytest.raises(SummarizationError, match="unknown"):
        get_summarizer("nope")


def test_a_transcript_too_long_for_the_offline_backend_is_refused_at_once():
    words = " ".join(["word"] * 1000)
    segments = [Segment(float(i), None, "A", words) for i in range(81)]
    with pytest.raises(SummarizationError, match="too long"):
        summarize(segments, "en")
