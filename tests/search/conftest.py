"""Helpers for the search tests, which run on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from articles.models import Article
from search.analysis import stems
from search.backends import search_articles
from search.models import SearchDocument


@pytest.fixture(autouse=True)
def _default_language():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def found(query: str, queryset=None) -> list[str]:
    """Titles of the published articles `query` finds, best first."""
    queryset = Article.objects.published() if queryset is None else queryset
    return [article.title for article in search_articles(queryset, query)]


def assert_index_in_step() -> None:
    """Every document holds its article's current text, and (SQLite) FTS5 indexes
    exactly the stems of the documents, no more: no stale row was left behind."""
    from search.index import build_documents

    docs = {doc.pk: doc for doc in SearchDocument.objects.all()}
    expected = build_documents(Article.objects.values_list("pk", flat=True))
    assert set(docs) == set(expected)
    for pk, document in expected.items():
        for name in ("language", "title", "summary_en", "summary_fr", "keywords", "body"):
            assert getattr(docs[pk], name) == getattr(document, name), (document.title, name)
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instances "
            "USING fts5vocab(main, 'articles_search_fts', 'instance')"
        )
        cursor.execute("SELECT doc, col, term FROM temp.fts_instances ORDER BY doc, col, offset")
        indexed: dict[tuple[int, str], list[str]] = {}
        for doc, col, term in cursor.fetchall():
            indexed.setdefault((doc, col), []).append(term)
    expected_terms = {}
    for doc in docs.values():
        columns = {
            "title": stems(doc.title, doc.language),
            "summary_en": stems(doc.summary_en, "en"),
            "summary_fr": stems(doc.summary_fr, "fr"),
            "keywords": stems(doc.keywords, doc.language),
            "body": stems(doc.body, doc.language),
        }
        for col, text in columns.items():
            # FTS5 folds case and accents once more; stems have neither.
            if text:
                expected_terms[(doc.pk, col)] = text.split()
    assert indexed == expected_terms
