"""What the search index stores for each article.

One `SearchDocument` per article holds the text that search reads, gathered from the
article, its source, its tags, its ready digests and key points, and its transcript
(search/index.py writes it). Keeping this text in one row of one table lets
both databases search without joins over five tables:

- PostgreSQL keeps a weighted `tsvector` of it in `vector` (GIN indexed, per-language
  configurations that fold accents) and the title under a trigram index for typos.
- SQLite keeps an FTS5 table, `articles_search_fts`, over the stemmed text, whose
  content is read back from this table for snippets (`SearchIndexEntry` below).

The indexes, extensions, text search configurations and the FTS5 table exist on one
database each, so the migration creates them with SQL that runs on that database
only; they are not declared in Meta, which would ask SQLite for GIN indexes.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

# The transcript part is cut here: a PostgreSQL tsvector is limited to 1 MB, and the
# first 200,000 characters (three hours of talk) say what an episode is about.
MAX_BODY_CHARS = 200_000


class SearchDocument(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    language = models.CharField(_("language"), max_length=8)
    # Weight A: the title.
    title = models.TextField(_("title"), blank=True)
    # Weight B: each ready digest's TL;DR, key points and conclusion, in its own
    # language's column so that each is stemmed as the language it is written in.
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    # Weight B: tags and the source's name.
    keywords = models.TextField(_("keywords"), blank=True)
    # Weight C: the transcript, cut at MAX_BODY_CHARS.
    body = models.TextField(_("transcript"), blank=True)
    # PostgreSQL only (NULL on SQLite): everything, for matching ...
    vector = SearchVectorField(null=True, editable=False)
    # ... and the title, summaries and keywords only, for ranking: sorting thousands of
    # matches by ts_rank then reads these small vectors rather than unpacking the
    # transcript's lexemes from TOAST storage for every one of them.
    rank_vector = SearchVectorField(null=True, editable=False)
    # Copies of the article's, so that search picks its window of newest matches from
    # this table alone (backends.py); on PostgreSQL a trigger keeps them current
    # whatever writes the article (migration 0006).
    published_at = models.DateTimeField(_("published"), null=True, editable=False)
    public = models.BooleanField(_("public"), default=False, editable=False)
    updated_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        # Moved here from the articles app; the table kept its name (no data moved).
        db_table = "articles_searchdocument"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.title


class SearchIndexEntry(models.Model):
    """A row of SQLite's FTS5 table (no such table on PostgreSQL).

    Never saved through the ORM (index.py writes the table with FTS5's own commands);
    it exists so that a query can join the FTS5 table, filter with MATCH and order by
    its `rank` column, which the migration sets to bm25() with per-column weights.
    """

    document = models.OneToOneField(
        SearchDocument,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="fts",
    )
    # FTS5's hidden column named after the table: `articles_search_fts = 'query'` is
    # FTS5's MATCH, so an ordinary exact lookup on this field is a full-text query.
    match = models.TextField(db_column="articles_search_fts")
    rank = models.FloatField(db_column="rank")

    class Meta:
        managed = False
        db_table = "articles_search_fts"

    def __str__(self) -> str:
        return str(self.pk)
