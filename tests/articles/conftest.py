"""Shared helpers for the reader-site tests."""

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import make_article

LANGUAGES = [("en", ""), ("fr", "/fr")]

# Scripts and styles must come from files: the CSP forbids inline ones.
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(rb"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(rb"<[^>]+\sstyle\s*=|<style[\s>]", re.I)


def assert_no_inline_code(content: bytes) -> None:
    assert not INLINE_SCRIPT.search(content), "inline <script>"
    assert not INLINE_HANDLER.search(content), "inline event handler"
    assert not INLINE_STYLE.search(content), "inline style"


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /fr/ leaves French active in the test's thread, and reverse() and
    get_absolute_url() would then build /fr/ URLs in the next test: start and end each
    test in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """These tests measure the views themselves (their output and their queries): a
    page served from newsroom/pagecache.py would hide both. The cache has its own tests."""
    settings.PAGE_CACHE = False


@pytest.fixture(params=LANGUAGES, ids=[code for code, _ in LANGUAGES])
def lang(request):
    """(language code, URL prefix): every page test runs in English and in French."""
    return request.param


@pytest.fixture
def past_day():
    return datetime(2024, 3, 15, 10, 30, tzinfo=UTC)


@pytest.fixture
def article(db):
    return make_article(
        title="Open models close the gap",
        slug="open-models-close-the-gap",
        digest_languages=("en", "fr"),
        tags=("llm", "open-source"),
        original_url="https://example.org/episodes/42",
    )
