"""Sources, transcripts and the poll log, moved from the articles app with their
tables (articles_source, articles_transcript, articles_ingestionlog): state only."""

import datetime
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0008_move_models_out'),
        ('topics', '0004_taglabel'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Source',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
                    ('kind', models.CharField(choices=[('podcast', 'Podcast'), ('youtube', 'YouTube channel'), ('rss', 'RSS / Atom feed')], default='podcast', max_length=10, verbose_name='kind')),
                    ('feed_url', models.URLField(max_length=2000, unique=True, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='feed URL')),
                    ('site_url', models.URLField(blank=True, max_length=2000, verbose_name='site URL')),
                    ('language', models.CharField(choices=[('en', 'English'), ('fr', 'French')], default='en', max_length=8, verbose_name='language')),
                    ('active', models.BooleanField(default=True, verbose_name='active')),
                    ('poll_interval', models.DurationField(default=datetime.timedelta(seconds=3600), verbose_name='poll interval')),
                    ('etag', models.CharField(blank=True, editable=False, max_length=500)),
                    ('last_modified', models.CharField(blank=True, editable=False, max_length=100)),
                    ('last_polled_at', models.DateTimeField(blank=True, null=True, verbose_name='last polled')),
                    ('last_success_at', models.DateTimeField(blank=True, null=True, verbose_name='last success')),
                    ('consecutive_failures', models.PositiveIntegerField(default=0, verbose_name='consecutive failures')),
                    ('last_error', models.TextField(blank=True, verbose_name='last error')),
                    ('next_poll_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='next poll')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('default_topic', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='default_for_sources', to='topics.topic', verbose_name='default topic')),
                ],
                options={
                    'verbose_name': 'source',
                    'verbose_name_plural': 'sources',
                    'db_table': 'articles_source',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='IngestionLog',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='started')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                    ('outcome', models.CharField(choices=[('running', 'Running'), ('ok', 'OK'), ('not_modified', 'Not modified'), ('error', 'Error')], default='running', max_length=20, verbose_name='outcome')),
                    ('http_status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='HTTP status')),
                    ('items_seen', models.PositiveIntegerField(default=0, verbose_name='items seen')),
                    ('items_new', models.PositiveIntegerField(default=0, verbose_name='new')),
                    ('items_updated', models.PositiveIntegerField(default=0, verbose_name='updated')),
                    ('items_skipped', models.PositiveIntegerField(default=0, verbose_name='skipped (backlog)')),
                    ('error', models.TextField(blank=True, verbose_name='error')),
                    ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ingestion_logs', to='ingestion.source', verbose_name='source')),
                ],
                options={
                    'verbose_name': 'ingestion log entry',
                    'verbose_name_plural': 'ingestion log',
                    'db_table': 'articles_ingestionlog',
                    'ordering': ['-started_at'],
                    'get_latest_by': 'started_at',
                },
            ),
            migrations.CreateModel(
                name='Transcript',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('origin', models.CharField(choices=[('feed', 'Transcript published with the episode'), ('captions', 'Video captions'), ('stt', 'Speech-to-text'), ('description', 'Show notes (no transcript)'), ('manual', 'Uploaded by an editor')], max_length=20, verbose_name='origin')),
                    ('format', models.CharField(blank=True, max_length=20, verbose_name='format')),
                    ('language', models.CharField(blank=True, max_length=8, verbose_name='language')),
                    ('source_url', models.URLField(blank=True, max_length=2000, verbose_name='source URL')),
                    ('segments', models.JSONField(blank=True, default=list, verbose_name='segments')),
                    ('text', models.TextField(blank=True, verbose_name='text')),
                    ('word_count', models.PositiveIntegerField(default=0, verbose_name='words')),
                    ('provenance', models.JSONField(blank=True, default=list, verbose_name='provenance')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='transcript', to='articles.article', verbose_name='article')),
                ],
                options={
                    'verbose_name': 'transcript',
                    'verbose_name_plural': 'transcripts',
                    'db_table': 'articles_transcript',
                },
            ),
            migrations.AddIndex(
                model_name='source',
                index=models.Index(fields=['active', 'next_poll_at'], name='source_due_idx'),
            ),
            migrations.AddIndex(
                model_name='ingestionlog',
                index=models.Index(fields=['source', '-started_at'], name='ingestlog_source_idx'),
            ),
            ],
            database_operations=[],
        ),
    ]
