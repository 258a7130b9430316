"""The search documents, moved from the articles app with their tables
(articles_searchdocument and SQLite's articles_search_fts): state only. The
indexes, triggers and the FTS5 table stay as articles' migrations 0004 and 0006
made them."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0008_move_models_out'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='SearchDocument',
                fields=[
                    ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='articles.article', verbose_name='article')),
                    ('language', models.CharField(max_length=8, verbose_name='language')),
                    ('title', models.TextField(blank=True, verbose_name='title')),
                    ('summary_en', models.TextField(blank=True, verbose_name='summary (English)')),
                    ('summary_fr', models.TextField(blank=True, verbose_name='summary (French)')),
                    ('keywords', models.TextField(blank=True, verbose_name='keywords')),
                    ('body', models.TextField(blank=True, verbose_name='transcript')),
                    ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                    ('rank_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                    ('published_at', models.DateTimeField(editable=False, null=True, verbose_name='published')),
                    ('public', models.BooleanField(default=False, editable=False, verbose_name='public')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='indexed')),
                ],
                options={
                    'verbose_name': 'search document',
                    'verbose_name_plural': 'search documents',
                    'db_table': 'articles_searchdocument',
                },
            ),
            migrations.CreateModel(
                name='SearchIndexEntry',
                fields=[
                    ('document', models.OneToOneField(db_column='rowid', db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='fts', serialize=False, to='search.searchdocument')),
                    ('match', models.TextField(db_column='articles_search_fts')),
                    ('rank', models.FloatField(db_column='rank')),
                ],
                options={
                    'db_table': 'articles_search_fts',
                    'managed': False,
                },
            ),
            ],
            database_operations=[],
        ),
    ]
