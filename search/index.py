"""Writing the search index: one SearchDocument per article, and its database index.

`search_index_update(article_ids=...)` is the one way in: it reads the articles as
they are now and rewrites their documents (or removes the documents of articles that
no longer exist). Writes reach it through the articles' content event
(articles/events.py), which this module subscribes to (`on_article_content_changed`,
connected in search/apps.py); `manage.py reindex` repairs anything. Score, topic and
featured are not indexed (search reads them from the article row). The document's
copies of the status and publication date (`public`, `published_at`) are written with
it and, on PostgreSQL, kept current by a trigger, so a change of status alone needs no
update; on SQLite nothing reads the copies (its search reads the article row).

The index is written at once, in the writer's transaction, rather than on commit: it
then commits or rolls back with the change it reflects, and tests (which run inside a
transaction that never commits) see it. A unit of work that saves many parts of an
article (a digest and its key points) wraps them in `articles.events.batched()`, so
that each article is indexed once, at the end.

PostgreSQL: the weighted tsvectors are computed by the database from the stored text
(one UPDATE after the upsert), each part with its language's configuration.
SQLite: FTS5 is told about each change with its own commands; it indexes stems
computed in Python (analysis.py) and reads the original text back from
SearchDocument for snippets. An FTS5 table with external content must be told the
old stems to delete a row, so a document's FTS5 row is always rewritten from the
document row as stored, in the same transaction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Case, Value, When

from articles.models import Article
from digests.models import Digest, KeyPoint
from search.analysis import stems
from search.models import MAX_BODY_CHARS, SearchDocument

BATCH_SIZE = 100
TEXT_FIELDS = ("title", "summary_en", "summary_fr", "keywords", "body")
STORED_FIELDS = ("language", *TEXT_FIELDS, "published_at", "public")
# The configurations the migration creates: the built-in ones with accents folded first.
PG_CONFIGS = {"en": "english_unaccent", "fr": "french_unaccent"}
FTS_TABLE = "articles_search_fts"
# FTS5's commands, as constant SQL: rows are given as (rowid, *TEXT_FIELDS).
FTS_INSERT = (
    "INSERT INTO articles_search_fts (rowid, title, summary_en, summary_fr, keywords, body) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)
FTS_DELETE = (
    "INSERT INTO articles_search_fts "
    "(articles_search_fts, rowid, title, summary_en, summary_fr, keywords, body) "
    "VALUES ('delete', %s, %s, %s, %s, %s, %s)"
)
FTS_DELETE_ALL = "INSERT INTO articles_search_fts (articles_search_fts) VALUES ('delete-all')"
FTS_OPTIMIZE = "INSERT INTO articles_search_fts (articles_search_fts) VALUES ('optimize')"

# --- Building documents -------------------------------------------------------------


# NUL: PostgreSQL refuses it in text. U+E000 and U+E001: the snippets' highlight
# markers (backends.py), which the text itself must not contain.
_UNWANTED = str.maketrans({"\x00": " ", "\ue000": " ", "\ue001": " "})


def _clean(text: str) -> str:
    # NFC: a word with a combining accent is one word for both databases' tokenizers.
    return unicodedata.normalize("NFC", text or "").translate(_UNWANTED)


def _document(
    pk, *, title, language, keywords, summaries, body, published_at, status
) -> SearchDocument:
    return SearchDocument(
        article_id=pk,
        published_at=published_at,
        public=status == Article.Status.PUBLISHED,
        language=language if language in PG_CONFIGS else "en",
        title=_clean(title),
        summary_en=_clean("\n".join(summaries.get("en", []))),
        summary_fr=_clean("\n".join(summaries.get("fr", []))),
        keywords=_clean("\n".join(keywords)),
        body=_clean((body or "")[:MAX_BODY_CHARS]),
    )


def build_documents(ids: Iterable[int]) -> dict[int, SearchDocument]:
    """The documents of the articles `ids` (those that exist), read in four queries at most.

    Plain values rather than model instances: this runs after every save of an
    indexed model, and ingestion saves thousands.
    """
    read = {
        "title": "title",
        "language": "language",
        "source": "source__name",
        "body": "transcript__text",
        "published_at": "published_at",
        "status": "status",
    }
    articles = {
        pk: {**dict(zip(read, values, strict=True)), "tags": []}
        for pk, *values in Article.objects.filter(pk__in=ids).values_list("pk", *read.values())
    }
    if not articles:
        return {}
    for pk, tag in (
        Article.objects.filter(pk__in=articles, tags__isnull=False)
        .order_by("pk", "tags__name")
        .values_list("pk", "tags__name")
    ):
        articles[pk]["tags"].append(tag)
    digests = {
        digest_pk: {"article": article_pk, "language": language, "parts": [tldr], "end": end}
        for digest_pk, article_pk, language, tldr, end in Digest.objects.filter(
            article_id__in=articles, status=Digest.Status.READY
        )
        .order_by("article_id", "language", "pk")
        .values_list("pk", "article_id", "language", "tldr", "conclusion")
    }
    if digests:
        for digest_pk, heading, body in (
            KeyPoint.objects.filter(digest_id__in=digests)
            .order_by("digest_id", "order", "pk")
            .values_list("digest_id", "heading", "body")
        ):
            digests[digest_pk]["parts"] += [heading, body]
    summaries: dict[int, dict[str, list[str]]] = {pk: {} for pk in articles}
    for digest in digests.values():
        text = "\n".join(part for part in [*digest["parts"], digest["end"]] if part)
        summaries[digest["article"]].setdefault(digest["language"], []).append(text)
    return {
        pk: _document(
            pk,
            title=row["title"],
            language=row["language"],
            keywords=[*row["tags"], row["source"]],
            summaries=summaries[pk],
            body=row["body"],
            published_at=row["published_at"],
            status=row["status"],
        )
        for pk, row in articles.items()
    }


def document_for_new_article(article: Article) -> SearchDocument:
    """A just-created article has no tags, digests or transcript yet: its document is
    built from the instance, without reading anything back."""
    return _document(
        article.pk,
        title=article.title,
        language=article.language,
        keywords=[article.source.name],
        summaries={},
        body="",
        published_at=article.published_at,
        status=article.status,
    )


def _same_document(old: SearchDocument, new: SearchDocument) -> bool:
    return all(getattr(old, name) == getattr(new, name) for name in STORED_FIELDS)


# --- The service --------------------------------------------------------------------


def search_index_update(*, article_ids: Iterable[int]) -> int:
    """Bring the documents of `article_ids` in line with the articles; returns how many
    documents were written or removed. Safe to call for any ids, any number of times."""
    ids = sorted({int(pk) for pk in article_ids if pk is not None})
    changed = 0
    for start in range(0, len(ids), BATCH_SIZE):
        changed += _update_batch(ids[start : start + BATCH_SIZE])
    return changed


def _update_batch(ids: list[int], *, rebuild: bool = False) -> int:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Concurrent updates of one article take turns, and each then reads what the
            # one before it committed, so the last document written is built from the
            # latest text. (SQLite has one writer at a time anyway.)
            list(Article.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        new_docs = build_documents(ids)
        old_by_pk = {
            doc.pk: doc
            for doc in SearchDocument.objects.filter(pk__in=ids).defer("vector", "rank_vector")
        }
        gone = set(old_by_pk) - set(new_docs)
        if gone:
            # Documents of deleted articles (normally removed with the article by cascade).
            fts_forget(old_by_pk[pk] for pk in gone)
            SearchDocument.objects.filter(pk__in=gone).delete()
        docs = [
            doc
            for pk, doc in new_docs.items()
            if rebuild or pk not in old_by_pk or not _same_document(old_by_pk[pk], doc)
        ]
        _write(docs, old=[] if rebuild else [old_by_pk[d.pk] for d in docs if d.pk in old_by_pk])
    return len(docs) + len(gone)


def _write(docs: list[SearchDocument], *, old: list[SearchDocument]) -> None:
    """Store `docs` and index them; `old` are the stored versions they replace."""
    if not docs:
        return
    SearchDocument.objects.bulk_create(
        docs,
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=[*STORED_FIELDS, "updated_at"],
    )
    if connection.vendor == "postgresql":
        _pg_vectorize([doc.pk for doc in docs])
    elif connection.vendor == "sqlite":
        fts_forget(old)
        _fts_add(docs)


def index_new_article(article: Article) -> None:
    """Index an article that was just created (two queries: see document_for_new_article)."""
    with transaction.atomic():
        _write([document_for_new_article(article)], old=[])


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
        cursor.executemany(FTS_INSERT, [_fts_row(doc) for doc in docs])


def fts_forget(docs: Iterable[SearchDocument]) -> None:
    """Remove documents from FTS5, given them as they were indexed (SQLite only)."""
    docs = list(docs)
    if not docs or connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.executemany(FTS_DELETE, [_fts_row(doc) for doc in docs])


# --- Rebuilding everything ----------------------------------------------------------


def reindex(*, batch_size: int = BATCH_SIZE, progress=None) -> int:
    """Rewrite every document and its database index from the articles.

    `progress`, if given, is called with the number of articles done after each batch.
    Returns the number of articles indexed.
    """
    if connection.vendor != "sqlite":
        # PostgreSQL: batch by batch, each in its own transaction; searches go on meanwhile.
        return _reindex_batches(batch_size, progress)
    # SQLite: FTS5 starts from nothing, so that stems computed by an older version of
    # this code are never asked to be deleted, and in one transaction, so that no other
    # write touches FTS5 while it is partly rebuilt (SQLite has one writer anyway).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(FTS_DELETE_ALL)
        done = _reindex_batches(batch_size, progress)
        with connection.cursor() as cursor:
            cursor.execute(FTS_OPTIMIZE)
    return done


def _reindex_batches(batch_size: int, progress) -> int:
    done = 0
    for ids in _id_batches(batch_size):
        _update_batch(ids, rebuild=True)
        done += len(ids)
        if progress is not None:
            progress(len(ids))
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


# --- Scheduling (the subscription to the content event) ------------------------------

# Saving an article through these fields only (`save(update_fields=[...])`, `update()`)
# leaves the indexed text as it was.
INDEXED_ARTICLE_FIELDS = frozenset({"title", "language", "source", "source_id"})


def on_article_content_changed(
    sender, *, article_ids, fields=None, new_article=None, deleted=False, **kwargs
):
    if deleted:
        # The documents go with the articles by cascade; FTS5 (SQLite) must be told
        # their indexed text, which they still hold now (the event comes before).
        if connection.vendor == "sqlite":
            fts_forget(SearchDocument.objects.filter(pk__in=list(article_ids)))
        return
    if fields is not None and not INDEXED_ARTICLE_FIELDS & fields:
        return
    schedule_index_update(article_ids, new_article=new_article)


def schedule_index_update(article_ids: Iterable[int], *, new_article: Article | None = None):
    """Update now (a unit of work that saves many parts of an article sends one event at
    its end: articles.events.batched()).

    `new_article`: the article was just created, and can be indexed from the instance.
    """
    if new_article is not None:
        index_new_article(new_article)
    else:
        search_index_update(article_ids=article_ids)
