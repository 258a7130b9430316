"""Heuristic scores, topic and tags for the extractive backend.

An LLM judges an episode by reading it; the offline backend can only count. Each
part of SCORE_PARTS gets 0-10 from a countable proxy, saturating so that one very
dense episode does not squash every other one towards zero:

  substance  figures, names (capitalised words inside a sentence) and technical
             terms (acronyms, words with digits, CamelCase) per 100 words;
  novelty    announcement/launch/release/report vocabulary and dates per 1,000 words;
  clarity    sentence length near 12-25 words, and little filler removed by cleaning;
  relevance  share of the words that are keywords of the topics we follow.

The numbers are rough by design: they rank episodes of the same feed sensibly and
let an editor see why a score is low, which is what they are used for.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from articles.summarization.base import TopicChoice

_WORD_RE = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]")
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}s?$")
_CAMEL_RE = re.compile(r"^[A-Za-z]+[a-z][A-Z][A-Za-z]*$")
_YEAR_RE = re.compile(r"^(19|20)\d\d$")

# Word beginnings that announce news, in English and French ("launch" covers "launched").
_NEWS_PREFIXES = tuple(
    "announc launch releas unveil report introduc acquir annonc lanc sorti dévoil rachet "
    "rachat".split()
)
_NEWS_WORDS = frozenset(
    "new newly first record breaking ship ships shipped raised funding update updated "
    "updates version nouveau nouvelle nouveaux nouvelles premier première rapport levée".split()
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


def _saturate(value: float, scale: float) -> float:
    """0 for nothing, about 6.3 at `scale`, approaching 10: diminishing returns."""
    return 10.0 * (1.0 - math.exp(-max(0.0, value) / scale))


def _clip(value: float) -> float:
    return round(min(10.0, max(0.0, value)), 1)


def _is_fact(token: str, position: int) -> bool:
    """A figure, an acronym or CamelCase term, or a capitalised word inside a sentence
    (usually a name: people, companies, products, places)."""
    if any(c.isdigit() for c in token) or _ACRONYM_RE.match(token) or _CAMEL_RE.match(token):
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
    return _clip(_saturate(100 * facts / words, 5.0))


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
    return _clip(_saturate(1000 * hits / len(words), 8.0))


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
    """Share of words that are keywords of the topics followed (about 3 % scores 6.3)."""
    counter = KeywordCounter(" ".join(sentences))
    if not counter.words:
        return 0.0
    hits = sum(counter.count(topic.keywords) for topic in _topics_or_defaults(topics))
    return _clip(_saturate(100 * hits / counter.words, 3.0))


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
    from articles.summarization import default_topic_choices

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


def choose_tags(phrases: Sequence[str], *, limit: int = 8) -> list[str]:
    """3-8 short lower-case tags from key phrases, strongest first, no near-duplicates."""
    tags: list[str] = []
    for phrase in phrases:
        tag = " ".join(phrase.lower().split())
        if not tag or len(tag) > 30 or tag.count(" ") > 3 or not any(c.isalpha() for c in tag):
            continue
        if any(tag in t or t in tag for t in tags):
            continue
        tags.append(tag)
        if len(tags) >= limit:
            break
    return tags
