"""The periodic tasks follow their code: polling and the transcript retries moved from
articles.tasks to ingestion.tasks (issue 18). The names are written out here, as a
migration carries its own data."""

from django.db import migrations

RENAMED = {
    "articles.tasks.poll_due_sources": "ingestion.tasks.poll_due_sources",
    "articles.tasks.retry_waiting_transcripts": "ingestion.tasks.retry_waiting_transcripts",
}


def rename(apps, schema_editor, names=RENAMED):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in names.items():
        PeriodicTask.objects.filter(task=old).update(task=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("ingestion", "0001_initial"),
        ("articles", "0003_beat_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
