"""What an editor reads first in an offline digest: clean sentences, titles, tags.

Pure tests on small texts written for them: the repairs of caption artefacts and
spoken openers, the sentences about the show itself, the heading builder, the tag
picker and the writing lint, in English and French.
"""

from __future__ import annotations

from collections import Counter

import pytest

from articles.transcript_data import Segment
from digests import extractive, headings, tags, writing
from digests.base import TranscriptInput


def sentences_of(texts: list[str], language: str = "en", speaker: str = "") -> list[str]:
    segments = [Segment(float(i), float(i + 1), speaker, t) for i, t in enumerate(texts)]
    prepared = extractive.prepare(TranscriptInput(segments=segments, language=language), language)
    return [s.text for s in prepared.sentences]


# ------------------------------------------------------------------ repairs


@pytest.mark.parametrize(
    ("cues", "expected"),
    [
        (["In our standard single- thread benchmark the chip scored higher."], "single-thread"),
        (["We used five meters of decent low-", "loss cable for the antenna."], "low-loss cable"),
        (["Le test mono- cœur donne un score de dix-huit pour cent de plus."], "mono-cœur"),
    ],
)
def test_a_word_cut_by_a_caption_break_is_mended(cues, expected):
    language = "fr" if cues[0].startswith("Le") else "en"
    text = " ".join(sentences_of(cues, language))
    assert expected in text
    assert "- " not in text


def test_a_suspended_compound_keeps_its_hyphen_and_space():
    text = sentences_of(["Both short- and long-term storage costs went up this quarter."])[0]
    assert "short- and long-term" in text


def test_a_word_doubled_across_two_captions_is_said_once():
    text = " ".join(sentences_of(["We measured the", "the battery life over two full days."]))
    assert "the the" not in text.lower()
    assert "measured the battery life" in text


def test_no_space_is_left_before_punctuation():
    text = sentences_of(["The chip , which ships in May , is faster than the last one ."])[0]
    assert text == "The chip, which ships in May, is faster than the last one."


@pytest.mark.parametrize(
    ("said", "language", "expected"),
    [
        ("So, the plan is to ship the new router firmware next month.", "en", "The plan is"),
        ("Yeah, well, the bank made passwords optional for everyone.", "en", "The bank made"),
        ("And the outage lasted four hours in one region.", "en", "The outage lasted"),
        ("Honestly, the founder spent eight years on building sites.", "en", "The founder"),
        ("Alors, le consortium a lancé un jeton adossé à l'euro.", "fr", "Le consortium"),
        ("Bon, la banque centrale prépare aussi un euro numérique.", "fr", "La banque centrale"),
        ("Du coup, l'hôpital a restauré ses serveurs depuis les sauvegardes.", "fr", "L'hôpital"),
    ],
)
def test_spoken_openers_are_dropped_and_the_sentence_recapitalised(said, language, expected):
    text = sentences_of([said], language)[0]
    assert text.startswith(expected)
    assert not writing.leading_filler(text, language)


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("As you're listening to this episode, you'll hear some sound effects from the lab.", "en"),
        ("Welcome back, everyone, it has been quite a week for chips.", "en"),
        ("In the last episode we promised to look at the numbers again.", "en"),
        ("Send us your questions and we will answer them on the show.", "en"),
        ("Vous écoutez cet épisode depuis votre voiture, alors restez prudents.", "fr"),
        ("Dans le prochain épisode, on reviendra sur les résultats trimestriels.", "fr"),
    ],
)
def test_sentences_about_the_show_itself_are_left_out(said, language):
    kept = "Le consortium de neuf banques a lancé un jeton adossé à l'euro cette semaine."
    if language == "en":
        kept = "The consortium of nine banks launched a token backed by the euro this week."
    texts = sentences_of([said, kept], language)
    assert texts == [kept]


def test_sentences_that_lean_back_are_not_standalone():
    segments = [
        Segment(0.0, 1.0, "", "Halden Bank made passwords optional for all of its customers."),
        Segment(1.0, 2.0, "", "That's why support calls dropped by forty percent this year."),
    ]
    prepared = extractive.prepare(TranscriptInput(segments=segments, language="en"), "en")
    first, second = prepared.sentences
    assert extractive._standalone(first, "en")
    assert not extractive._standalone(second, "en")


# ---------------------------------------------------------------- the lint


@pytest.mark.parametrize(
    ("heading", "rule"),
    [
        ("Big model's", "ends on a stop word or possessive"),
        ("Record and month", "two words joined by 'and'"),
        ("The battery", "opens on an article or possessive"),
        ("battery life", "lowercase start"),
        ("Batteries", "not 2-7 words"),
        ("Jeton et banque", "two words joined by 'and'"),
    ],
)
def test_the_lint_names_what_is_wrong_with_a_heading(heading, rule):
    language = "fr" if "et" in heading.split() else "en"
    assert rule in writing.heading_breaks(heading, language)


@pytest.mark.parametrize(
    "heading", ["Training-data contamination", "Battery life under load", "Levée de fonds"]
)
def test_an_editors_heading_passes_the_lint(heading):
    language = "fr" if heading.startswith("Levée") else "en"
    assert writing.heading_breaks(heading, language) == []


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Batch production of your podcast episodes.", "fragment"),
        ("the chip is faster than last year's.", "lowercase start"),
        ("The chip is faster than last year's", "no terminal punctuation"),
        ("So the chip is faster than last year's.", "leading filler"),
        ("In our single- thread benchmark the chip won.", "word split by a caption break"),
        ("Du coup, la banque a lancé son jeton.", "leading filler"),
    ],
)
def test_the_lint_names_what_is_wrong_with_a_sentence(sentence, rule):
    language = "fr" if sentence.startswith("Du") else "en"
    assert rule in writing.sentence_breaks(sentence, language)


def test_the_lint_splits_a_tldr_into_sentences_but_not_at_abbreviations():
    text = "The U.S. regulator approved it, e.g. for banks. Fees fell 3.5 percent in May."
    assert writing.split_sentences(text) == [
        "The U.S. regulator approved it, e.g. for banks.",
        "Fees fell 3.5 percent in May.",
    ]


# ------------------------------------------------------------------ headings


def _pairs(text: str) -> list[tuple[str, bool]]:
    return [(t, t[0].isalnum()) for t in extractive._TOKEN_RE.findall(text)]


def _chunks(texts: list[str], language: str = "en") -> set[str]:
    words = extractive._vocabulary(language)
    sentences = [_pairs(t) for t in texts]
    nouns = headings.nounish_words(sentences, language, words.stop)
    return {c.text() for s in sentences for c in headings.chunks(s, language, words, nouns)}


def test_chunks_are_noun_phrases_with_one_connector():
    found = _chunks(
        [
            "The battery life of the remote control is the main worry.",
            "A long battery life matters to every buyer of the remote.",
        ]
    )
    assert "battery life" in found
    assert "battery life of the remote control" in found


def test_chunks_never_close_on_a_verb_or_a_lone_adjective():
    found = _chunks(
        [
            "The cheap thin cable loses half the signal.",
            "A cable is cheap, and the signal is weak.",
            "Two weather satellites are passing overhead right now.",
        ]
    )
    assert not any(c.endswith(("loses", "passing", "cheap", "thin")) for c in found)
    assert "weather satellites" in {c.lower() for c in found}


def test_french_chunks_open_on_a_noun_and_keep_de():
    found = _chunks(
        [
            "La levée de fonds de Maréa est la plus grosse de l'année.",
            "Cette levée de fonds servira à recruter des chercheurs.",
            "Les investisseurs regardent surtout la croissance.",
        ],
        "fr",
    )
    assert "levée de fonds" in found
    assert not any(c.startswith("investisseurs regardent") for c in found)


def test_a_heading_is_the_sections_subject_not_two_loose_words():
    words = extractive._vocabulary("en")
    section = [
        _pairs(t)
        for t in (
            "The secure element stores the private key inside the wallet.",
            "Attackers struggle to read a secure element even with lab tools.",
            "Without a secure element, voltage glitching can pull the key out.",
            "The screen shows the address before you confirm.",
        )
    ]
    other = [_pairs("The recovery phrase is twenty-four words written on paper.")]
    sentences = [*section, *other]
    nouns = headings.nounish_words(sentences, "en", words.stop)
    per_sentence = headings.sentence_chunks(sentences, "en", words, nouns)
    table = headings.section_chunks(per_sentence, [0] * len(section) + [1] * len(other))
    counts = [
        extractive.Counter(
            extractive.stem(extractive.content_form(w, "en"), "en")
            for text, ok in s
            if ok and (w := text.lower()) not in words.stop
        )
        for s in (
            [p for sentence in section for p in sentence],
            [p for sentence in other for p in sentence],
        )
    ]
    ranked = headings.rank(table, counts, "en", words)
    title = headings.heading(ranked[0], set(), "en")
    assert title.lower().startswith("secure element")
    assert writing.heading_breaks(title, "en") == []


def _ranked_section(texts: list[str], language: str = "en"):
    """One section's ranked chunks, as the summariser builds them."""
    words = extractive._vocabulary(language)
    sentences = [_pairs(t) for t in texts]
    nouns = headings.nounish_words(sentences, language, words.stop)
    per_sentence = headings.sentence_chunks(sentences, language, words, nouns)
    table = headings.section_chunks(per_sentence, [0] * len(sentences))
    counts = [
        extractive.Counter(
            extractive.stem(extractive.content_form(w, language), language)
            for sentence in sentences
            for text, ok in sentence
            if ok and (w := text.lower()) not in words.stop
        )
    ]
    return headings.rank(table, counts, language, words)[0]


def test_a_heading_never_repeats_an_earlier_one():
    ranked = _ranked_section(
        [
            "The remote control needs a scroll wheel.",
            "A remote control with a scroll wheel costs more.",
            "The remote control buttons should glow in the dark.",
            "Remote control buttons wear out after a year of use.",
        ]
    )
    used: set[str] = set()
    first = headings.heading(ranked, used, "en")
    second = headings.heading(ranked, used, "en")
    third = headings.heading(ranked, used, "en")
    assert first and second and third
    assert len({first.lower(), second.lower(), third.lower()}) == 3


def test_a_heading_is_not_cut_inside_a_compound():
    # "agent pull" is only ever said as the start of "agent pull request": even ranked
    # first, it is a cut title ("pull" is no head there).
    def chunk(key: str, text: str, said: int) -> headings.Chunk:
        return headings.Chunk(key, len(key.split()), Counter({text: said}), {0, 1, 2})

    ranked = [
        (9.0, chunk("agent pull", "agent pull", 3)),
        (8.0, chunk("agent pull request", "agent pull request", 3)),
        (5.0, chunk("hidden test", "hidden tests", 2)),
    ]
    assert headings.heading(ranked, set(), "en") == "Agent pull request"
    # Said alone as well ("the agent pull was slow"), it may title.
    ranked[0] = (9.0, chunk("agent pull", "agent pull", 5))
    assert headings.heading(ranked, set(), "en") == "Agent pull"


# ---------------------------------------------------------------------- tags


def test_tags_are_names_and_terms_not_plain_words():
    texts = [
        "Halden Bank made passwords optional, and the secure element keeps keys safe.",
        "Customers at Halden Bank now sign in with a passkey stored in the secure element.",
        "The NPU in the new laptop runs the model for hours without a fan.",
        "Honestly, the screen is fine and the games run for hours on the NPU.",
        "Daniel thinks the secure element is the real story at Halden Bank.",
    ]
    picked = tags.tags_pick(
        sentences=[(0, _pairs(t)) for t in texts],
        language="en",
        words=extractive._vocabulary("en"),
        speakers={"Daniel Reyes"},
    )
    assert {"Halden Bank", "secure element", "NPU"} <= set(picked)
    lowered = {t.lower() for t in picked}
    # A capital that only opens a sentence, the host's name and noise words are no tags.
    assert not lowered & {"honestly", "daniel", "hours", "games", "screen", "new", "fine"}
    assert 3 <= len(picked) <= 8


def test_french_tags_keep_de_and_leave_out_pronouns():
    texts = [
        "C'est une levée de fonds record pour Maréa, à Lyon.",
        "La levée de fonds de Maréa finance un modèle entraîné en français.",
        "C'est aussi la banque centrale qui surveille les stablecoins.",
        "La banque centrale prépare un euro numérique, dit Maréa.",
    ]
    picked = tags.tags_pick(
        sentences=[(0, _pairs(t)) for t in texts],
        language="fr",
        words=extractive._vocabulary("fr"),
    )
    assert {"Maréa", "levée de fonds", "banque centrale"} <= set(picked)
    assert not {t.lower() for t in picked} & {"c'est", "c’est", "la", "une"}
