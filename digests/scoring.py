"""Heuristic scores and the topic for the extractive backend (tags: tags.py).

An LLM judges an episode by reading it; the offline backend can only count. Each
part of SCORE_PARTS gets 0-10 from a countable proxy:

  substance  figures (digits and spelled-out numbers), names (capitalised words
             inside a sentence) and technical terms (acronyms, words with digits,
             CamelCase) per 100 words;
  novelty    announcement/launch/release/report vocabulary and dates per 1,000 words;
  clarity    sentence length near 12-25 words, and little filler removed by cleaning;
  relevance  share of the words that are keywords of the topics we follow.

Calibration. The three densities (substance, novelty, relevance) vary by ratios, not
by steps: one episode has four times the figures of another. So each is put on a log
scale (`_calibrated`): an episode at the part's MIDDLE density scores 5, each doubling
adds 3 points and each halving takes 3 away, within 0-10 (so 0 below about a third of
the middle, 10 above about three times it). The middles are round figures read off
the demo episodes and the QMSum meetings (`bench/score_spread.py` prints the
distribution; docs/summary-quality.md keeps it):

  substance  4 facts per 100 words: the demo's news shows mostly run 4-6, meetings
             1.5-4 (parliamentary committees, full of names and sums, up to 7.5);
  novelty    5 news words or dates per 1,000: news shows run 7-10 (evergreen ones
             1-4), meetings 2-3, so a meeting scores low here, as it should;
  relevance  1.5 % of the words: tech shows run 1-4 %, meetings stay under 1.4 %.

The saturating curve this replaces (10 * (1 - e^(-x / scale))) flattened the top, and
averaged with the other parts it put every demo episode between 4.9 and 7.0, where
the score said little. Clarity is not a density and keeps its own 0-10 formula.
The overall score stays the plain mean of the parts for every backend
(base.score_from_parts): the calibration belongs to the proxies, which is why it lives
here and not in the mean, and why an LLM, which reads each part's meaning and scores
it directly, needs none.

The numbers are rough by design: they rank episodes sensibly and let an editor and a
reader see why a score is low (articles/score_explanation.py puts the parts into words).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from digests.base import TopicChoice

_WORD_RE = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]")
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}s?$")
_CAMEL_RE = re.compile(r"^[A-Za-z]+[a-z][A-Z][A-Za-z]*$")
_YEAR_RE = re.compile(r"^(19|20)\d\d$")

# Word beginnings that announce news, in English and French ("launch" covers "launched").
_NEWS_PREFIXES = tuple(
    "announc launch releas unveil report introduc acquir annonc lanc sorti dévoil rachet "
    "rachat".split()
)
# "first" is left out: in speech it is nearly always "first of all" or "the first
# thing", and counting it made every meeting look newsy.
_NEWS_WORDS = frozenset(
    "new newly record breaking ship ships shipped raised funding update updated "
    "updates version nouveau nouvelle nouveaux nouvelles premier première rapport levée".split()
)
# Numbers as transcripts spell them ("eighteen percent", "huit cents kilomètres"):
# figures for `substance` as much as "18 %". "One"/"un" are left out: mostly pronouns
# and articles ("one of the things", "un modèle").
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred hundreds thousand thousands million millions billion "
    "billions trillion percent dozen deux trois quatre cinq six sept huit dix onze douze "
    "treize quatorze quinze seize vingt vingts trente quarante cinquante soixante cent "
    "cents mille milliers million millions milliard milliards".split()
)
# Capitalised words that are never names: speech restarts mid-sentence ("But We want
# the meeting...", "The Well."), and "OK" is no acronym.
_NOT_NAMES = frozenset(
    "a an the and but or so if then because well yes yeah no ok okay oh right hi we you "
    "it it's that that's this these those there there's they they're he she what how "
    "why is are do don't let's i'd le la les un une et mais ou donc alors puis si bon "
    "oui non on nous vous il elle ils elles ce c'est ça voilà".split()
)
_DATE_WORDS = frozenset(
    # "may" is left out: far more often the verb than the month.
    "january february march april june july august september october november december "
    "monday tuesday wednesday thursday friday yesterday today janvier février mars avril "
    "mai juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi "
    "vendredi hier aujourd'hui".split()
)


def _words(sentences: Sequence[str]) -> list[str]:
    return [w for s in sentences for w in _WORD_RE.findall(s)]


# See the module docstring: the density at which a part scores 5, and the points each
# doubling of it adds.
MIDDLE = {"substance": 4.0, "novelty": 5.0, "relevance": 1.5}
POINTS_PER_DOUBLING = 3.0


def _calibrated(value: float, middle: float) -> float:
    """5 at `middle`, 3 points more for each doubling and 3 fewer for each halving,
    within 0-10; nothing at all scores 0."""
    if value <= 0:
        return 0.0
    return _clip(5.0 + POINTS_PER_DOUBLING * math.log2(value / middle))


def _clip(value: float) -> float:
    return round(min(10.0, max(0.0, value)), 1)


def _is_fact(token: str, position: int) -> bool:
    """A figure (digits or a spelled-out number), an acronym or CamelCase term, or a
    capitalised word inside a sentence (usually a name: people, companies, products,
    places)."""
    lower = token.lower().replace("’", "'")
    if any(c.isdigit() for c in token) or lower in _NUMBER_WORDS:
        return True
    if lower in _NOT_NAMES:
        return False
    if _ACRONYM_RE.match(token) or _CAMEL_RE.match(token):
        return True
    return position > 0 and token[0].isupper() and token not in {"I", "I'm", "I've", "I'll"}


def substance(sentences: Sequence[str]) -> float:
    """Figures, named things and technical terms per 100 words."""
    facts = words = 0
    for sentence in sentences:
        tokens = _WORD_RE.findall(sentence)
        words += len(tokens)
        facts += sum(_is_fact(token, position) for position, token in enumerate(tokens))
    if not words:
        return 0.0
    return _calibrated(100 * facts / words, MIDDLE["substance"])


def novelty(sentences: Sequence[str]) -> float:
    """Announcement vocabulary and dates per 1,000 words: news rather than evergreen chat."""
    words = [w.lower() for w in _words(sentences)]
    if not words:
        return 0.0
    hits = sum(
        1
        for w in words
        if w in _NEWS_WORDS or w in _DATE_WORDS or w.startswith(_NEWS_PREFIXES) or _YEAR_RE.match(w)
    )
    return _calibrated(1000 * hits / len(words), MIDDLE["novelty"])


def clarity(sentences: Sequence[str], *, raw_words: int, dropped_words: int) -> float:
    """Sentences of a readable length, and a transcript not drowned in filler."""
    lengths = [len(_WORD_RE.findall(s)) for s in sentences]
    lengths = [n for n in lengths if n]
    if not lengths or not raw_words:
        return 0.0
    mean = sum(lengths) / len(lengths)
    # 12-25 words reads well; fragments and run-ons both cost.
    if mean < 12:
        length_factor = max(0.3, mean / 12)
    elif mean > 25:
        length_factor = max(0.3, 25 / mean)
    else:
        length_factor = 1.0
    filler_ratio = dropped_words / raw_words
    filler_factor = max(0.0, 1.0 - 2.5 * filler_ratio)  # 40 % filler leaves nothing
    return _clip(10.0 * length_factor * (0.3 + 0.7 * filler_factor))


def relevance(sentences: Sequence[str], topics: Sequence[TopicChoice]) -> float:
    """Share of words that are keywords of the topics followed (1.5 % scores 5, 3 % 8)."""
    counter = KeywordCounter(" ".join(sentences))
    if not counter.words:
        return 0.0
    hits = sum(counter.count(topic.keywords) for topic in _topics_or_defaults(topics))
    return _calibrated(100 * hits / counter.words, MIDDLE["relevance"])


def score_parts(
    *,
    sentences: Sequence[str],
    raw_words: int,
    dropped_words: int,
    topics: Sequence[TopicChoice],
) -> dict[str, float]:
    """Every SCORE_PARTS part, 0-10 with one decimal, from the cleaned sentences.

    Densities are per word rather than per minute, so that transcripts without
    timestamps score like timed ones.
    """
    return {
        "substance": substance(sentences),
        "novelty": novelty(sentences),
        "clarity": clarity(sentences, raw_words=raw_words, dropped_words=dropped_words),
        "relevance": relevance(sentences, topics),
    }


class KeywordCounter:
    """Counts keyword occurrences in one text: words by lookup, phrases by substring.

    Counting words once and probing a Counter is much faster than one regular
    expression per topic over an hour of speech. Apostrophes and hyphens stay inside
    words, so the French "j'ai" never counts as the keyword "ai".
    """

    def __init__(self, text: str) -> None:
        tokens = [w.lower().replace("’", "'") for w in _WORD_RE.findall(text)]
        self.words = len(tokens)
        self._counts = Counter(tokens)
        self._joined = f" {' '.join(tokens)} "

    def count(self, keywords: Sequence[str]) -> int:
        total = 0
        wanted = {k.strip().lower() for k in keywords if k.strip()}
        for keyword in wanted:
            # The plural counts too ("stablecoins" for "stablecoin"), unless it is
            # itself a keyword and would be counted twice.
            forms = [keyword]
            if not keyword.endswith("s") and f"{keyword}s" not in wanted:
                forms.append(f"{keyword}s")
            for form in forms:
                if " " in form:
                    total += self._joined.count(f" {form} ")
                else:
                    total += self._counts[form]
        return total


def _topics_or_defaults(topics: Sequence[TopicChoice]) -> Sequence[TopicChoice]:
    if topics:
        return topics
    return default_topic_choices()


def choose_topic(text: str, topics: Sequence[TopicChoice]) -> str:
    """The topic whose keywords occur most, or "" when none occurs often enough.

    "Often enough" is at least three hits and one per 1,000 words, so that a passing
    mention of Bitcoin does not make a cooking show a crypto episode.
    """
    counter = KeywordCounter(text)
    best, best_hits = "", 0
    for topic in topics:
        hits = counter.count(topic.keywords)
        if hits > best_hits:
            best, best_hits = topic.slug, hits
    if best_hits < 3 or best_hits * 1000 < counter.words:
        return ""
    return best


def default_topic_choices(language: str = "en") -> list[TopicChoice]:
    """The starting topics (topics/defaults.py) as choices, named in `language`."""
    from topics.defaults import DEFAULT_TOPICS

    key = "name_fr" if language == "fr" else "name_en"
    return [
        TopicChoice(slug=t["slug"], name=t.get(key) or t["name_en"], keywords=tuple(t["keywords"]))
        for t in DEFAULT_TOPICS
    ]
