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
from collections.abc import Sequence
from functools import lru_cache

from articles.summarization.base import TopicChoice

_WORD_RE = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]")
_NUMBER_RE = re.compile(r"\d")
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}s?$")
_CAMEL_RE = re.compile(r"^[A-Za-z]+[a-z][A-Z][A-Za-z]*$")

_NEWS_WORDS = re.compile(
    r"\b(announc\w*|launch\w*|releas\w*|unveil\w*|report\w*|introduc\w*|ship(s|ped)?"
    r"|new|newly|first|record|breaking|acquir\w*|raised|funding|update[sd]?|version"
    r"|annonc\w*|lanc\w*|sorti\w*|dévoil\w*|nouveau|nouvelle|nouveaux|nouvelles"
    r"|premi(er|ère)|rapport|rachat|racheté|levée|mise à jour)\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b((19|20)\d\d|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|monday|tuesday|wednesday|thursday|friday|yesterday|today"
    r"|this week|last week|janvier|février|mars|avril|mai|juin|juillet|août|septembre"
    r"|octobre|novembre|décembre|lundi|mardi|mercredi|jeudi|vendredi|hier"
    r"|aujourd'hui|cette semaine)\b",
    re.IGNORECASE,
)


def _saturate(value: float, scale: float) -> float:
    """0 for nothing, about 6.3 at `scale`, approaching 10: diminishing returns."""
    return 10.0 * (1.0 - math.exp(-max(0.0, value) / scale))


def _clip(value: float) -> float:
    return round(min(10.0, max(0.0, value)), 1)


def substance(sentences: Sequence[str]) -> float:
    """Figures, named things and technical terms per 100 words."""
    facts = words = 0
    for sentence in sentences:
        tokens = _WORD_RE.findall(sentence)
        words += len(tokens)
        for position, token in enumerate(tokens):
            if _NUMBER_RE.search(token):
                facts += 1
            elif _ACRONYM_RE.match(token) or _CAMEL_RE.match(token):
                facts += 1
            elif position > 0 and token[0].isupper() and token not in {"I", "I'm", "I've"}:
                facts += 1  # a capitalised word inside a sentence is usually a name
    if not words:
        return 0.0
    return _clip(_saturate(100 * facts / words, 5.0))


def novelty(sentences: Sequence[str]) -> float:
    """Announcement vocabulary and dates per 1,000 words: news rather than evergreen chat."""
    text = " ".join(sentences)
    words = len(_WORD_RE.findall(text))
    if not words:
        return 0.0
    hits = len(_NEWS_WORDS.findall(text)) + len(_DATE_WORDS.findall(text))
    return _clip(_saturate(1000 * hits / words, 8.0))


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
    text = " ".join(sentences)
    words = len(_WORD_RE.findall(text))
    if not words:
        return 0.0
    hits = sum(_count(topic.keywords, text) for topic in _topics_or_defaults(topics))
    return _clip(_saturate(100 * hits / words, 3.0))


def score_parts(
    *,
    sentences: Sequence[str],
    raw_words: int,
    dropped_words: int,
    minutes: float | None,
    topics: Sequence[TopicChoice],
    language: str,
) -> dict[str, float]:
    """Every SCORE_PARTS part, 0-10 with one decimal.

    `minutes` and `language` are accepted so that callers need not change when a
    part starts to use them; the densities above are already per word.
    """
    del minutes, language
    return {
        "substance": substance(sentences),
        "novelty": novelty(sentences),
        "clarity": clarity(sentences, raw_words=raw_words, dropped_words=dropped_words),
        "relevance": relevance(sentences, topics),
    }


@lru_cache(maxsize=256)
def _keyword_re(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({k.strip().lower() for k in keywords if k.strip()}, key=len, reverse=True)
    if not words:
        return None
    # Apostrophes and hyphens count as word characters so that French "j'ai" is not "ai".
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.IGNORECASE)


def _count(keywords: Sequence[str], text: str) -> int:
    pattern = _keyword_re(tuple(keywords))
    return len(pattern.findall(text)) if pattern else 0


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
    words = max(1, len(_WORD_RE.findall(text)))
    best, best_hits = "", 0
    for topic in topics:
        hits = _count(topic.keywords, text)
        if hits > best_hits:
            best, best_hits = topic.slug, hits
    if best_hits < 3 or best_hits * 1000 < words:
        return ""
    return best


def choose_tags(phrases: Sequence[str], *, fallback: Sequence[str] = (), limit: int = 8) -> list[str]:
    """3-8 short lower-case tags from key phrases, strongest first, no near-duplicates."""
    tags: list[str] = []
    for phrase in [*phrases, *fallback]:
        tag = " ".join(phrase.lower().split())
        if not tag or len(tag) > 30 or tag.count(" ") > 2 or not any(c.isalpha() for c in tag):
            continue
        if any(tag in t or t in tag for t in tags):
            continue
        tags.append(tag)
        if len(tags) >= limit:
            break
    return tags
