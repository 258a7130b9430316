"""What the search index needs to pick its candidates without reading the articles.

Search ranks a bounded window of matches, the newest (articles/search/backends.py).
To find them from the index alone, each SearchDocument keeps a copy of its article's
`published_at` and whether it is published (`public`), and PostgreSQL keeps the
document's row narrow so that visiting thousands of matches stays cheap:

- the copies are written by the index (index.py) and, on PostgreSQL, whatever path
  changes an article (`QuerySet.update()` from the publishing actions included), by a
  trigger. SQLite's search reads the article itself, and has no such trigger: Django
  rebuilds SQLite tables to alter them, which would silently drop it;
- `toast_tuple_target = 128`: a row that needs TOAST at all (over about 2 kB: any
  document with a transcript) has its long values (texts, tsvectors) stored out of
  line down to about 200 bytes, in the table the matches are read from;
- a partial index lists published documents newest first, for words found almost
  everywhere, where walking it beats collecting every match.
"""

from django.db import migrations, models

from articles.migrations._vendor import RunSQLOn

COPY_FROM_ARTICLES = (
    "UPDATE articles_searchdocument SET "
    "published_at = (SELECT a.published_at FROM articles_article a WHERE a.id = article_id), "
    "public = COALESCE((SELECT a.status = 'published' FROM articles_article a "
    "WHERE a.id = article_id), false);"
)

PG_TRIGGER = """
CREATE OR REPLACE FUNCTION articles_searchdocument_follow_article() RETURNS trigger AS $$
BEGIN
    UPDATE articles_searchdocument
       SET published_at = NEW.published_at, public = (NEW.status = 'published')
     WHERE article_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_searchdocument_follow_article
    AFTER UPDATE OF status, published_at ON articles_article
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION articles_searchdocument_follow_article();
"""
PG_TRIGGER_DROP = (
    "DROP TRIGGER IF EXISTS articles_searchdocument_follow_article ON articles_article;"
    "DROP FUNCTION IF EXISTS articles_searchdocument_follow_article();"
)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0005_ingestionlog_items_skipped"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="published"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="public",
            field=models.BooleanField(default=False, editable=False, verbose_name="public"),
        ),
        RunSQLOn(
            "postgresql",
            "ALTER TABLE articles_searchdocument SET (toast_tuple_target = 128);",
            "ALTER TABLE articles_searchdocument RESET (toast_tuple_target);",
        ),
        # After the storage change: rewriting every row moves its long values out.
        migrations.RunSQL(COPY_FROM_ARTICLES, migrations.RunSQL.noop),
        RunSQLOn(
            "postgresql",
            "CREATE INDEX searchdocument_public_newest ON articles_searchdocument "
            "(published_at DESC, article_id DESC) WHERE public;",
            "DROP INDEX IF EXISTS searchdocument_public_newest;",
        ),
        RunSQLOn("postgresql", PG_TRIGGER, PG_TRIGGER_DROP),
    ]
