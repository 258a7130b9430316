"""The API's GET endpoints, read from the URLconf, so that a new one is covered by the
exposure and cursor tests without anyone adding it to a list."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Endpoint:
    name: str  # namespaced URL name, e.g. "api:article-list"
    view: type  # the DRF view class
    action: str  # "list", "retrieve", or "get" for a plain APIView
    arguments: tuple[str, ...]  # URL arguments, e.g. ("slug",)

    def url(self, **kwargs) -> str:
        return reverse(self.name, kwargs=kwargs or None)

    @property
    def paginated(self) -> bool:
        return self.action == "list" and getattr(self.view, "pagination_class", None) is not None


def _walk(patterns, namespace: str, arguments: tuple[str, ...]):
    for entry in patterns:
        found = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, arguments + found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry, f"{namespace}{entry.name}", arguments + found


def api_endpoints() -> list[Endpoint]:
    """Every DRF view reachable with GET, once each (format-suffix twins left out)."""
    endpoints: dict[str, Endpoint] = {}
    for pattern, name, arguments in _walk(get_resolver().url_patterns, "", ()):
        view = getattr(pattern.callback, "cls", None)
        if view is None or "format" in arguments:
            continue
        actions = getattr(pattern.callback, "actions", None) or {}
        action = actions.get("get", "get" if not actions and hasattr(view, "get") else None)
        if action is not None:
            endpoints.setdefault(name, Endpoint(name, view, action, arguments))
    return list(endpoints.values())
