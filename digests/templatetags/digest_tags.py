"""Tags for showing a digest: its score's parts and why they give that score."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from digests.models import Digest
from digests.score_explanation import ScoreExplanation, explain_score

register = template.Library()

# Labels for the parts of a score (digests.base.SCORE_PARTS); a part an
# older or newer backend adds still shows, under its own key, rather than disappearing.
SCORE_PART_LABELS = {
    "substance": _("Substance"),
    "novelty": _("Novelty"),
    "clarity": _("Clarity"),
    "relevance": _("Relevance"),
}


@register.filter
def score_part_label(key) -> str:
    return SCORE_PART_LABELS.get(key) or str(key).replace("_", " ").capitalize()


@register.simple_tag
def score_explanation(digest: Digest | None) -> ScoreExplanation | None:
    """Why the digest's parts give the score they do, in words, in the active language
    (digests/score_explanation.py); None when the digest has no parts."""
    if digest is None or not digest.score_parts:
        return None
    score = float(digest.score) if digest.score is not None else None
    return explain_score(digest.score_parts, score)
