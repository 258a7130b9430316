"""Run by test_app_split_migration.py in a child process: fills a database under the
schema before issue 18 (articles 0007), migrates it to today's and prints what it finds."""

import json
from datetime import timedelta

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OLD = [
    ("articles", "0007_daily_spend"),
    ("topics", "0004_taglabel"),
    ("favorites", "0003_signup_requests_and_rate_counters"),
]
call_command("migrate", "topics", "0004_taglabel", verbosity=0)
call_command("migrate", "favorites", "0003_signup_requests_and_rate_counters", verbosity=0)
call_command("migrate", "articles", "0007_daily_spend", verbosity=0)
old = MigrationExecutor(connection).loader.project_state(OLD).apps
Source = old.get_model("articles", "Source")
Article = old.get_model("articles", "Article")
Transcript = old.get_model("articles", "Transcript")
Digest = old.get_model("articles", "Digest")
KeyPoint = old.get_model("articles", "KeyPoint")
IngestionLog = old.get_model("articles", "IngestionLog")
SearchDocument = old.get_model("articles", "SearchDocument")
source = Source.objects.create(
    name="Old Show", slug="old-show", feed_url="https://example.org/feed.xml"
)
article = Article.objects.create(
    source=source,
    guid="g1",
    slug="old-episode",
    title="Old episode",
    status="published",
    published_at=timezone.now() - timedelta(days=1),
)
Transcript.objects.create(
    article=article,
    origin="feed",
    segments=[{"start": 0, "end": 1, "speaker": "", "text": "Hello"}],
    text="Hello",
    word_count=1,
)
digest = Digest.objects.create(
    article=article, language="en", tldr="It was said.", status="ready", score=7
)
KeyPoint.objects.create(
    digest=digest, order=0, heading="A point", body="The body.", start_seconds=0
)
IngestionLog.objects.create(source=source, outcome="ok", items_new=1)
SearchDocument.objects.create(article=article, language="en", title="Old episode", public=True)
old_beat = list(
    old.get_model("django_celery_beat", "PeriodicTask").objects.values_list("task", flat=True)
)

call_command("migrate", verbosity=0)

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django_celery_beat.models import PeriodicTask

NewSource = apps.get_model("ingestion", "Source")
NewArticle = apps.get_model("articles", "Article")
NewDigest = apps.get_model("digests", "Digest")
editors = Group.objects.get(name="Editors")
a = NewArticle.objects.get(slug="old-episode")
print(
    json.dumps(
        {
            "source": NewSource.objects.get().name,
            "article_source": a.source.name,
            "transcript": a.transcript.text,
            "digest": NewDigest.objects.get().tldr,
            "key_points": [kp.heading for kp in NewDigest.objects.get().key_points.all()],
            "log": apps.get_model("ingestion", "IngestionLog").objects.get().items_new,
            "document": apps.get_model("search", "SearchDocument").objects.get().title,
            "stale_types": sorted(
                ContentType.objects.filter(app_label="articles")
                .exclude(model__in=["article", "dailyspend"])
                .values_list("model", flat=True)
            ),
            "editor_perms": sorted(
                p.content_type.app_label + "." + p.codename for p in editors.permissions.all()
            ),
            "old_beat": sorted(old_beat),
            "beat": sorted(
                PeriodicTask.objects.exclude(task__startswith="celery.").values_list(
                    "task", flat=True
                )
            ),
        }
    )
)
