"""URL helpers for the page frame: language alternates and pagination links."""

from __future__ import annotations

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """This page's absolute URL in another language (for hreflang links)."""
    request = context["request"]
    return request.build_absolute_uri(translate_url(request.path, language_code))


@register.simple_tag(takes_context=True)
def path_in_language(context, language_code: str) -> str:
    """This page's path and query in another language, for the language switch.

    The switch posts this as `next`: set_language() cannot translate a /fr/ path itself
    while the default language is active (it resolves with the active language's prefix),
    so the page, which renders in its own language, does it.
    """
    return translate_url(context["request"].get_full_path(), language_code)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context["request"]
    return request.build_absolute_uri(request.path)


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """A link to another page of a list that keeps the rest of the query string."""
    query = context["request"].GET.copy()
    if str(number) == "1":
        query.pop("page", None)
    else:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path
