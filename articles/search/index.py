"""Writing the search index: one SearchDocument per article, and its database index.

`search_index_update(article_ids=...)` is the one way in: it reads the articles as
they are now and rewrites their documents (or removes the documents of articles that
no longer exist). Call it after changing indexed text in a way that sends no signal
(`QuerySet.update()`, `bulk_create()`); everything else reaches it through the
receivers in signals.py. `search_index_deferred()` batches a unit of work so that
its many saves (a digest and its key points) index each article once, at the end.

PostgreSQL: the weighted tsvectors are computed by the database from the stored text,
in the same UPDATE, with the configuration of each part's language.
SQLite: FTS5 is told about each change with its own commands; it indexes stems
computed in Python (analysis.py) and reads the original text back from
SearchDocument for snippets. An FTS5 table with external content must be told the
old stems to delete a row, so a document's FTS5 row is always rewritten from the
document row as stored, in the same transaction.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Case, Prefetch, Value, When

from articles.models import Article, Digest, KeyPoint, Transcript
from articles.search.analysis import stems
from articles.search.models import MAX_BODY_CHARS, SearchDocument

BATCH_SIZE = 100
TEXT_FIELDS = ("title", "summary_en", "summary_fr", "keywords", "body")
# The configurations the migration creates: the built-in ones with accents folded first.
PG_CONFIGS = {"en": "english_unaccent", "fr": "french_unaccent"}
FTS_TABLE = "articles_search_fts"

_state = threading.local()


# --- Building documents -------------------------------------------------------------


def _clean(text: str) -> str:
    # NFC: a word with a combining accent is one word for both databases' tokenizers.
    # NUL: PostgreSQL refuses it in text.
    return unicodedata.normalize("NFC", text or "").replace("\x00", " ")


def _summary(digest: Digest) -> str:
    parts = [digest.tldr]
    for point in digest.key_points.all():
        parts.extend([point.heading, point.body])
    parts.append(digest.conclusion)
    return "\n".join(part for part in parts if part)


def build_document(article: Article) -> SearchDocument:
    """The document of `article` (expects the prefetches of `_articles_for_index`)."""
    summaries = {"en": [], "fr": []}
    for digest in article.digests.all():
        if digest.language in summaries:
            summaries[digest.language].append(_summary(digest))
    try:
        transcript = article.transcript.text
    except Transcript.DoesNotExist:
        transcript = ""
    keywords = [tag.name for tag in article.tags.all()] + [article.source.name]
    return SearchDocument(
        article_id=article.pk,
        language=article.language if article.language in PG_CONFIGS else "en",
        title=_clean(article.title),
        summary_en=_clean("\n".join(summaries["en"])),
        summary_fr=_clean("\n".join(summaries["fr"])),
        keywords=_clean("\n".join(keywords)),
        body=_clean(transcript[:MAX_BODY_CHARS]),
    )


def _articles_for_index(ids: list[int]):
    return (
        Article.objects.filter(pk__in=ids)
        .select_related("source")
        .only("pk", "title", "language", "source__name")
        .prefetch_related(
            "tags",
            Prefetch(
                "digests",
                queryset=Digest.objects.filter(status=Digest.Status.READY)
                .only("pk", "article_id", "language", "tldr", "conclusion")
                .prefetch_related(
                    Prefetch(
                        "key_points",
                        queryset=KeyPoint.objects.only("pk", "digest_id", "heading", "body"),
                    )
                ),
            ),
            Prefetch("transcript", queryset=Transcript.objects.only("pk", "article_id", "text")),
        )
    )


def _same_text(old: SearchDocument, new: SearchDocument) -> bool:
    return old.language == new.language and all(
        getattr(old, name) == getattr(new, name) for name in TEXT_FIELDS
    )


# --- The service --------------------------------------------------------------------


def search_index_update(*, article_ids: Iterable[int]) -> int:
    """Bring the documents of `article_ids` in line with the articles; returns how many
    documents were written or removed. Safe to call for any ids, any number of times."""
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    changed = 0
    for start in range(0, len(ids), BATCH_SIZE):
        changed += _update_batch(ids[start : start + BATCH_SIZE])
    return changed


def _update_batch(ids: list[int]) -> int:
    with transaction.atomic():
        # Concurrent updates of one article take turns (PostgreSQL; SQLite has one
        # writer anyway), and each then reads what the one before it committed, so
        # the last document written is built from the latest text.
        existing = list(
            Article.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list(
                "pk", flat=True
            )
        )
        new_docs = [build_document(article) for article in _articles_for_index(existing)]
        old_docs = SearchDocument.objects.filter(pk__in=ids).defer("vector", "rank_vector")
        old_by_pk = {doc.pk: doc for doc in old_docs}
        gone = set(old_by_pk) - set(existing)
        if gone:
            # Documents of deleted articles (normally removed with the article by cascade).
            SearchDocument.objects.filter(pk__in=gone).delete()
        docs = [
            doc
            for doc in new_docs
            if doc.pk not in old_by_pk or not _same_text(old_by_pk[doc.pk], doc)
        ]
        if docs:
            SearchDocument.objects.bulk_create(
                docs,
                update_conflicts=True,
                unique_fields=["article"],
                update_fields=["language", *TEXT_FIELDS, "updated_at"],
            )
            written = [doc.pk for doc in docs]
            if connection.vendor == "postgresql":
                _pg_vectorize(written)
            elif connection.vendor == "sqlite":
                fts_forget([old_by_pk[pk] for pk in written if pk in old_by_pk])
                _fts_add(docs)
    return len(docs) + len(gone)


# --- PostgreSQL ---------------------------------------------------------------------


def _pg_vectorize(ids: list[int]) -> None:
    own = Case(
        *(When(language=lang, then=Value(config)) for lang, config in PG_CONFIGS.items()),
        default=Value(PG_CONFIGS["en"]),
    )
    head = (
        SearchVector("title", config=own, weight="A")
        + SearchVector("summary_en", config=PG_CONFIGS["en"], weight="B")
        + SearchVector("summary_fr", config=PG_CONFIGS["fr"], weight="B")
        + SearchVector("keywords", config=own, weight="B")
    )
    SearchDocument.objects.filter(pk__in=ids).update(
        vector=head + SearchVector("body", config=own, weight="C"), rank_vector=head
    )


# --- SQLite FTS5 --------------------------------------------------------------------


def _fts_row(doc: SearchDocument) -> list:
    own = doc.language
    return [
        doc.pk,
        stems(doc.title, own),
        stems(doc.summary_en, "en"),
        stems(doc.summary_fr, "fr"),
        stems(doc.keywords, own),
        stems(doc.body, own),
    ]


def _fts_add(docs: Iterable[SearchDocument]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(TEXT_FIELDS)}) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [_fts_row(doc) for doc in docs],
        )


def fts_forget(docs: Iterable[SearchDocument]) -> None:
    """Remove documents from FTS5, given them as they were indexed (SQLite only)."""
    docs = list(docs)
    if not docs or connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {', '.join(TEXT_FIELDS)}) "
            "VALUES ('delete', %s, %s, %s, %s, %s, %s)",
            [_fts_row(doc) for doc in docs],
        )


# --- Rebuilding everything ----------------------------------------------------------


def reindex(*, batch_size: int = BATCH_SIZE, progress=None) -> int:
    """Rebuild every document and the database index from the articles.

    `progress`, if given, is called with the number of articles done after each batch.
    Returns the number of articles indexed.
    """
    with transaction.atomic():
        SearchDocument.objects.exclude(article__in=Article.objects.all()).delete()
        if connection.vendor == "sqlite":
            # Start FTS5 from nothing: rows are then only ever added, so stems computed
            # by an older version of the code cannot be asked to be deleted.
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")
            SearchDocument.objects.all().delete()
    done = 0
    for ids in _id_batches(batch_size):
        search_index_update(article_ids=ids)
        done += len(ids)
        if progress is not None:
            progress(len(ids))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
    elif connection.vendor == "postgresql":
        # Text that did not change is skipped by search_index_update; vectors are
        # recomputed anyway, in case the text search configurations changed.
        for ids in _id_batches(batch_size * 10):
            _pg_vectorize(ids)
    return done


def _id_batches(size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            Article.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


# --- Scheduling (used by the signal receivers) --------------------------------------


@contextmanager
def search_index_deferred():
    """Collect the index updates the enclosed code triggers and run them once, on exit.

    For services that save many indexed rows of one article (a digest and its key
    points). Nested blocks flush when the outermost exits; an exception discards
    what was collected, as the transaction it belongs to is normally rolled back.
    """
    depth = getattr(_state, "depth", 0)
    if depth == 0:
        _state.pending = set()
    _state.depth = depth + 1
    try:
        yield
    except BaseException:
        _state.depth -= 1
        if _state.depth == 0:
            _state.pending = set()
        raise
    _state.depth -= 1
    if _state.depth == 0:
        pending, _state.pending = _state.pending, set()
        search_index_update(article_ids=pending)


def schedule_index_update(article_ids: Iterable[int]) -> None:
    """Update now, or at the end of the enclosing `search_index_deferred()` block."""
    if getattr(_state, "depth", 0):
        _state.pending.update(article_ids)
    else:
        search_index_update(article_ids=article_ids)
