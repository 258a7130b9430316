"""Sources, transcripts and the poll log move to the ingestion app, digests and key
points to digests, the search documents to search (issue 18): first, in Django's
state only, the old models let go of their relations. No table changes: the moved
models keep their tables' names (each declares db_table), so no data is copied."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_daily_spend'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='digest',
                name='article',
            ),
            migrations.RemoveField(
                model_name='keypoint',
                name='digest',
            ),
            migrations.RemoveField(
                model_name='ingestionlog',
                name='source',
            ),
            migrations.RemoveField(
                model_name='searchdocument',
                name='article',
            ),
            migrations.RemoveField(
                model_name='searchindexentry',
                name='document',
            ),
            migrations.RemoveField(
                model_name='source',
                name='default_topic',
            ),
            ],
            database_operations=[],
        ),
    ]
