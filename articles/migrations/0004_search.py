"""The search index: SearchDocument, and what each database searches it with.

PostgreSQL: the unaccent and pg_trgm extensions, text search configurations that fold
accents before stemming (english_unaccent, french_unaccent), a GIN index on the
tsvector and a trigram GIN index on the title. SQLite: an FTS5 table over the
document, with bm25 column weights. Each part runs on its own database only.
Existing articles are indexed by `manage.py reindex`.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from articles.migrations._vendor import RunSQLOn


def _configuration(name, copy, stemmer):
    return f"""
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
            CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {copy});
            ALTER TEXT SEARCH CONFIGURATION {name}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer};
        END IF;
    END $$;
    """


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_beat_schedule"),
    ]

    operations = [
        # Left in place when unapplied: other code may use them.
        RunSQLOn("postgresql", "CREATE EXTENSION IF NOT EXISTS unaccent;", migrations.RunSQL.noop),
        RunSQLOn("postgresql", "CREATE EXTENSION IF NOT EXISTS pg_trgm;", migrations.RunSQL.noop),
        RunSQLOn(
            "postgresql",
            _configuration("english_unaccent", "english", "english_stem"),
            "DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent;",
        ),
        RunSQLOn(
            "postgresql",
            _configuration("french_unaccent", "french", "french_stem"),
            "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;",
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("article", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="search_document", serialize=False, to="articles.article", verbose_name="article")),
                ("language", models.CharField(max_length=8, verbose_name="language")),
                ("title", models.TextField(blank=True, verbose_name="title")),
                ("summary_en", models.TextField(blank=True, verbose_name="summary (English)")),
                ("summary_fr", models.TextField(blank=True, verbose_name="summary (French)")),
                ("keywords", models.TextField(blank=True, verbose_name="keywords")),
                ("body", models.TextField(blank=True, verbose_name="transcript")),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("rank_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="indexed")),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
            },
        ),
        migrations.CreateModel(
            name="SearchIndexEntry",
            fields=[
                ("document", models.OneToOneField(db_column="rowid", db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name="fts", serialize=False, to="articles.searchdocument")),
                ("match", models.TextField(db_column="articles_search_fts")),
                ("rank", models.FloatField(db_column="rank")),
            ],
            options={
                "db_table": "articles_search_fts",
                "managed": False,
            },
        ),
        RunSQLOn(
            "postgresql",
            [
                "CREATE INDEX searchdocument_vector_gin ON articles_searchdocument "
                "USING gin (vector);",
                # For the misspelling fallback: `title %> 'kubernets'`.
                "CREATE INDEX searchdocument_title_trgm ON articles_searchdocument "
                "USING gin (title gin_trgm_ops);",
            ],
            [
                "DROP INDEX IF EXISTS searchdocument_vector_gin;",
                "DROP INDEX IF EXISTS searchdocument_title_trgm;",
            ],
        ),
        RunSQLOn(
            "sqlite",
            [
                # External content: FTS5 indexes the stems it is given (index.py) and
                # reads the original text back from the document for snippet().
                "CREATE VIRTUAL TABLE articles_search_fts USING fts5("
                "title, summary_en, summary_fr, keywords, body, "
                "content='articles_searchdocument', content_rowid='article_id', "
                "tokenize='unicode61 remove_diacritics 2');",
                # The `rank` column: bm25 with the title above the summaries and
                # keywords, and those above the transcript (PostgreSQL's A, B, C).
                "INSERT INTO articles_search_fts (articles_search_fts, rank) "
                "VALUES ('rank', 'bm25(10.0, 4.0, 4.0, 4.0, 1.0)');",
            ],
            ["DROP TABLE IF EXISTS articles_search_fts;"],
        ),
    ]
