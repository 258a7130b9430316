"""Poll due sources every minute, and retry waiting transcripts every hour, through
django-celery-beat (editable in the admin).

Every minute is cheap: the task only claims the sources whose own poll interval
has passed (Source.next_poll_at), so the real cadence is per source.
"""

from django.db import migrations

TASK_NAME = "Poll due sources"
RETRY_NAME = "Retry waiting transcripts"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": "articles.tasks.poll_due_sources", "interval": every_minute},
    )
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=RETRY_NAME,
        defaults={"task": "articles.tasks.retry_waiting_transcripts", "interval": hourly},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[TASK_NAME, RETRY_NAME]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editors_group"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
