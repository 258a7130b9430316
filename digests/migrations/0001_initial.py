"""Digests and key points, moved from the articles app with their tables
(articles_digest, articles_keypoint): state only."""

import django.core.validators
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
                name='Digest',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('language', models.CharField(choices=[('en', 'English'), ('fr', 'French')], max_length=8, verbose_name='language')),
                    ('tldr', models.TextField(blank=True, verbose_name='TL;DR')),
                    ('conclusion', models.TextField(blank=True, verbose_name='conclusion')),
                    ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)], verbose_name='score')),
                    ('score_parts', models.JSONField(blank=True, default=dict, verbose_name='score parts')),
                    ('score_override', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)], verbose_name="editor's score")),
                    ('backend', models.CharField(blank=True, max_length=20, verbose_name='backend')),
                    ('model_name', models.CharField(blank=True, max_length=200, verbose_name='model')),
                    ('version', models.CharField(blank=True, max_length=50, verbose_name='algorithm/prompt version')),
                    ('grounding', models.FloatField(blank=True, null=True, verbose_name='grounded share')),
                    ('from_show_notes', models.BooleanField(default=False, verbose_name='from show notes')),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('waiting', 'Waiting (budget)'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='status')),
                    ('error', models.TextField(blank=True, verbose_name='error')),
                    ('token_usage', models.JSONField(blank=True, default=dict, verbose_name='token usage')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digests', to='articles.article', verbose_name='article')),
                ],
                options={
                    'verbose_name': 'digest',
                    'verbose_name_plural': 'digests',
                    'db_table': 'articles_digest',
                    'ordering': ['article', 'language'],
                },
            ),
            migrations.CreateModel(
                name='KeyPoint',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                    ('heading', models.CharField(max_length=300, verbose_name='heading')),
                    ('body', models.TextField(verbose_name='body')),
                    ('start_seconds', models.FloatField(blank=True, null=True, verbose_name='start (seconds)')),
                    ('quote', models.TextField(blank=True, verbose_name='supporting quote')),
                    ('grounded', models.BooleanField(blank=True, null=True, verbose_name='quote found in transcript')),
                    ('digest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='key_points', to='digests.digest', verbose_name='digest')),
                ],
                options={
                    'verbose_name': 'key point',
                    'verbose_name_plural': 'key points',
                    'db_table': 'articles_keypoint',
                    'ordering': ['digest', 'order', 'id'],
                },
            ),
            migrations.AddConstraint(
                model_name='digest',
                constraint=models.UniqueConstraint(fields=('article', 'language'), name='digest_one_per_article_language'),
            ),
            migrations.AddConstraint(
                model_name='digest',
                constraint=models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 0), ('score__lte', 10)), _connector='OR'), name='digest_score_0_10'),
            ),
            migrations.AddConstraint(
                model_name='digest',
                constraint=models.CheckConstraint(condition=models.Q(('score_override__isnull', True), models.Q(('score_override__gte', 0), ('score_override__lte', 10)), _connector='OR'), name='digest_score_override_0_10'),
            ),
            ],
            database_operations=[],
        ),
    ]
