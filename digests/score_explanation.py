"""Why an episode scored what it did, in words, from its score parts.

The article page's meters give each part's number; these sentences say which parts
made the score and what that means for a reader: a lead ("Scored 7.4 out of 10,
mainly for its substance and news value; clarity held it back.") and one short
sentence for each part that stands out. They are built at render time from the parts
stored with the digest, in the active language (gettext, not gettext_lazy: the words
are needed now), so a French page reads French and an old digest is explained too.

A part "stands out" two points or more away from 5: every backend scores a part 0-10
(digests/base.py, SCORE_PARTS), and the extractive backend's parts are
calibrated so that an ordinary episode scores about 5 on each (see
digests/scoring.py). The words describe what each part means
(SCORE_PARTS), not how the offline backend counts it, so they hold for the LLM's
judgements as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from digests.base import SCORE_PARTS, score_from_parts

HIGH = 7.0  # two points above an ordinary episode
LOW = 3.0  # two points below it
LEAD_PARTS = 2  # the lead names at most this many strengths, and as many weaknesses


@dataclass(frozen=True)
class ScoreExplanation:
    lead: str
    reasons: list[str] = field(default_factory=list)


# Functions rather than constants: gettext must run in the language of the request.
def _strength(part: str) -> str:
    """The part as what an episode scored for ("mainly for its substance")."""
    return {
        "substance": _("its substance"),
        "novelty": _("its news value"),
        "clarity": _("its clarity"),
        "relevance": _("its relevance to our topics"),
    }[part]


def _weakness(part: str) -> str:
    """The part as what held an episode back ("clarity held it back")."""
    return {
        "substance": _("thin substance"),
        "novelty": _("little news value"),
        "clarity": _("unclear delivery"),
        "relevance": _("distance from our topics"),
    }[part]


def _reason(part: str, high: bool) -> str:
    """One sentence on a part that stands out, high or low."""
    if high:
        return {
            "substance": _("Dense with facts, figures, names and technical terms."),
            "novelty": _("Real news: announcements, launches, results and dated reports."),
            "clarity": _("Makes its points clearly, in well-paced sentences."),
            "relevance": _("Mostly about topics our readers follow."),
        }[part]
    return {
        "substance": _("Few concrete facts: little in the way of figures, names or details."),
        "novelty": _("Little news: mostly evergreen discussion."),
        "clarity": _("Hard to follow: halting or rambling sentences, or much filler."),
        "relevance": _("Mostly off the topics our readers follow."),
    }[part]


def _join(items: list[str]) -> str:
    """Items joined as a sentence would: "a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _numbers(parts: Mapping[str, object]) -> dict[str, float]:
    """The known parts as numbers within 0-10, in SCORE_PARTS order; anything else
    (a part an older backend named differently, a value that is not a number) is left
    out rather than explained wrongly."""
    numbers = {}
    for name in SCORE_PARTS:
        try:
            value = float(parts[name])  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            continue
        if value == value:  # not NaN
            numbers[name] = min(10.0, max(0.0, value))
    return numbers


def explain_score(
    parts: Mapping[str, object] | None, score: float | None = None
) -> ScoreExplanation | None:
    """The lead and the reasons for a digest's score parts; None when there are none.

    `score` is the computed score to quote (the digest's); without it, the mean of the
    parts, which is how every backend computes it.
    """
    numbers = _numbers(parts or {})
    if not numbers:
        return None
    if score is None:
        score = score_from_parts(numbers)
    shown = number_format(round(float(score), 1), 1)
    # Strongest first for "mainly for"; weakest first for what held it back.
    strengths = sorted((n for n, v in numbers.items() if v >= HIGH), key=lambda n: -numbers[n])
    weaknesses = sorted((n for n, v in numbers.items() if v <= LOW), key=lambda n: numbers[n])
    strengths, weaknesses = strengths[:LEAD_PARTS], weaknesses[:LEAD_PARTS]
    strong = _join([_strength(n) for n in strengths])
    weak = _join([_weakness(n) for n in weaknesses])
    if strengths and weaknesses:
        lead = ngettext(
            "Scored %(score)s out of 10, mainly for %(strengths)s; %(weaknesses)s held it back.",
            "Scored %(score)s out of 10, mainly for %(strengths)s; %(weaknesses)s held it back.",
            len(weaknesses),
        ) % {"score": shown, "strengths": strong, "weaknesses": weak}
    elif strengths:
        lead = _("Scored %(score)s out of 10, mainly for %(strengths)s.") % {
            "score": shown,
            "strengths": strong,
        }
    elif weaknesses:
        lead = ngettext(
            "Scored %(score)s out of 10: %(weaknesses)s held it back.",
            "Scored %(score)s out of 10: %(weaknesses)s held it back.",
            len(weaknesses),
        ) % {"score": shown, "weaknesses": weak}
    else:
        lead = _("Scored %(score)s out of 10, with no part standing out either way.") % {
            "score": shown
        }
    reasons = [
        _reason(name, value >= HIGH)
        for name, value in numbers.items()
        if value >= HIGH or value <= LOW
    ]
    return ScoreExplanation(lead=lead, reasons=reasons)
