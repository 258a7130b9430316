"""The move's second half (see 0008): the article points at ingestion's Source, the
old models leave articles' state, and the content types follow their models, so the
Editors group's permissions and the admin's history stay attached to them."""

import django.db.models.deletion
from django.db import migrations, models


# Each moved model and its new app. Written out here (a migration carries its own
# data): the content type rows are renamed in place, so their ids, and with them the
# permissions, the Editors group and the admin's log entries, stay as they were.
MOVED = {
    "source": "ingestion",
    "transcript": "ingestion",
    "ingestionlog": "ingestion",
    "digest": "digests",
    "keypoint": "digests",
    "searchdocument": "search",
    "searchindexentry": "search",
}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, app_label in MOVED.items():
        if ContentType.objects.using(db).filter(app_label=app_label, model=model).exists():
            continue  # already there (created by a run of the new apps' post_migrate)
        ContentType.objects.using(db).filter(app_label="articles", model=model).update(
            app_label=app_label
        )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, app_label in MOVED.items():
        ContentType.objects.using(db).filter(app_label=app_label, model=model).update(
            app_label="articles"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_move_models_out'),
        ('ingestion', '0001_initial'),
        ('digests', '0001_initial'),
        ('search', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='article',
                name='source',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='articles', to='ingestion.source', verbose_name='source'),
            ),
            migrations.RemoveField(
                model_name='transcript',
                name='article',
            ),
            migrations.DeleteModel(
                name='Digest',
            ),
            migrations.DeleteModel(
                name='KeyPoint',
            ),
            migrations.DeleteModel(
                name='IngestionLog',
            ),
            migrations.DeleteModel(
                name='SearchDocument',
            ),
            migrations.DeleteModel(
                name='SearchIndexEntry',
            ),
            migrations.DeleteModel(
                name='Source',
            ),
            migrations.DeleteModel(
                name='Transcript',
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
