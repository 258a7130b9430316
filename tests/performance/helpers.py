"""Helpers for the page-cache tests: CSRF tokens, stars, admin forms, query counts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test.utils import CaptureQueriesContext

TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def tokens(content: bytes) -> list[str]:
    return [t.decode() for t in TOKEN_RE.findall(content)]


def secrets_behind(content: bytes) -> set[str]:
    """The CSRF secrets the page's tokens were made from."""
    return {_unmask_cipher_token(token) for token in tokens(content)}


def without_tokens(content: bytes) -> bytes:
    return TOKEN_RE.sub(b'name="csrfmiddlewaretoken" value="TOKEN"', content)


def get(client, path, **extra):
    """GET `path`; returns (response, number of database queries it ran)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries)


def star(content: bytes, slug: str) -> bytes:
    """The star form of one article on a page."""
    match = re.search(
        rb'<form method="post" action="[^"]*/articles/'
        + re.escape(slug.encode())
        + rb'/favorite/".*?</form>',
        content,
        re.S,
    )
    assert match, f"no star for {slug}"
    return match.group(0)


def is_saved(content: bytes, slug: str) -> bool:
    return b'aria-pressed="true"' in star(content, slug)


class _FormReader(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.data.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = [name, "multiple" in a, [], None]
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[3] is None:
                self._select[3] = value
            if "selected" in a:
                self._select[2].append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, multiple, chosen, first = self._select
            for value in chosen or ([] if multiple or first is None else [first]):
                self.data.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_data(content: bytes, form_id: str) -> dict[str, list[str]]:
    reader = _FormReader(form_id)
    reader.feed(content.decode())
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data
