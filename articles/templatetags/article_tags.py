"""Filters and tags the reader pages share: durations, timestamps, the digest to show."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import template
from django.utils.translation import get_language

from articles.models import Article
from topics.models import tag_label

register = template.Library()


def _whole(seconds) -> int | None:
    try:
        value = int(float(seconds))
    except (TypeError, ValueError):
        return None
    return max(value, 0)


def _clock(seconds) -> tuple[int, int, int] | None:
    """Whole, non-negative seconds as (hours, minutes, seconds); None when not a number."""
    total = _whole(seconds)
    if total is None:
        return None
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return hours, minutes, secs


@register.filter
def duration(seconds) -> str:
    """1865 -> "0:31:05": always h:mm:ss, so that lengths line up in lists."""
    clock = _clock(seconds)
    return "" if clock is None else "{}:{:02d}:{:02d}".format(*clock)


@register.filter
def timestamp(seconds) -> str:
    """A position in an episode as players show it: "4:05", or "1:04:05" past the hour."""
    clock = _clock(seconds)
    if clock is None:
        return ""
    hours, minutes, secs = clock
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def iso_duration(seconds) -> str:
    """ISO 8601 duration for <time datetime> and machine readers ("PT31M5S")."""
    clock = _clock(seconds)
    return "" if clock is None else "PT{}H{}M{}S".format(*clock)


@register.filter
def whole_seconds(seconds) -> str:
    """Seconds as a plain string: templates would localise a float ("4,0" in French),
    which neither data attributes nor media fragments understand."""
    total = _whole(seconds)
    return "" if total is None else str(total)


@register.filter
def first_line(text) -> str:
    """The TL;DR's first line, for cards."""
    for line in str(text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


# Where a line may break between words: any white space but the no-break ones, which
# French sets before ; : ? ! and inside « », so "leaders ;" never loses its mark alone.
_BREAK = re.compile(r"[^\S\u00a0\u202f\u2007]+")
# What a shortened text should not end on before its ellipsis: a dangling punctuation
# mark, dash, opening quote or bracket, or the no-break space that French puts before one.
_DANGLING = " \t\u00a0\u202f\u2007,;:.!?\u2013\u2014-\u00ab\u201c\u2018(["
ELLIPSIS = "\u2026"


@register.filter
def clip(text, length) -> str:
    """`text` in at most `length` characters, shortened at a word boundary with an
    ellipsis ("Phone chips can now…", never "Phone chips c…"), in any language.
    A single word longer than `length` is cut, as nothing else fits."""
    text = str(text or "").strip()
    try:
        length = int(length)
    except (TypeError, ValueError):
        return text
    if length <= 0 or len(text) <= length:
        return text
    room = text[: length - 1]  # the ellipsis takes the last place
    # The cut falls between words when the next character starts a new one.
    if not _BREAK.match(text, length - 1):
        words = [m.start() for m in _BREAK.finditer(room)]
        if words:
            room = room[: words[-1]]
    room = room.rstrip(_DANGLING)
    return (room or text[: length - 1]) + ELLIPSIS


@dataclass(frozen=True)
class ShownTag:
    name: str  # what search finds it by
    slug: str
    label: str  # what the reader sees: its French label on French pages, if it has one


@register.simple_tag
def shown_tags(article: Article) -> list[ShownTag]:
    """The article's tags as the reader's language names them (one query, labels
    included): topics.models.tag_label."""
    language = get_language() or "en"
    return [
        ShownTag(name=tag.name, slug=tag.slug, label=tag_label(tag, language))
        for tag in article.tags.select_related("label")
    ]


@register.simple_tag
def digest_for(article: Article):
    """The digest to show on a card: in the reader's language when there is one
    (Article.digest_for, from the rows ArticleQuerySet.for_cards() prefetches)."""
    return article.digest_for((get_language() or "en")[:2])


@register.simple_tag
def article_score(article: Article, digest):
    """The score shown for an article: an editor's override wins over the computed score."""
    if digest is not None and digest.effective_score is not None:
        return digest.effective_score
    return article.score
