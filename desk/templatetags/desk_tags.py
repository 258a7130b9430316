"""The editor's desk on the article page, as a tag: the article page (articles app)
shows it without importing the desk, which builds on every step of the pipeline."""

from __future__ import annotations

from django import template

from articles.models import Article
from desk.desk import desk_context

register = template.Library()


@register.simple_tag
def desk_for(article: Article) -> dict:
    """What the banner shows for `article` (desk_context)."""
    return desk_context(article)
