"""Real Celery workers and beats (testing/services.py) against the test database and a
private Redis DB, and what the pipeline tests read back from the database.

Each xdist worker uses its own Redis database number, so parallel tests never see
each other's queues.
"""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from articles.models import Article
from digests.models import Digest
from ingestion.models import IngestionLog, Transcript
from tests.factories import make_source


def private_redis_url(worker_id: str) -> str:
    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    parts = urlsplit(settings.REDIS_URL)
    return urlunsplit(parts._replace(path=f"/{10 + number}"))


def worker_env(redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a worker or beat: the test database, `redis_url` as cache and
    broker (unless `extra` names another CELERY_BROKER_URL), feeds on 127.0.0.1 allowed
    and every digest published."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "FETCH_ALLOW_HOSTS": "127.0.0.1",
        "DIGEST_LANGUAGES": "en",
        "AUTO_PUBLISH_MIN_SCORE": "0",
        "AUTO_PUBLISH_MIN_GROUNDING": "0",
        "CACHE_KEY_PREFIX": f"it-{redis_url.rsplit('/', 1)[-1]}",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    # The test run's own broker must not leak into the workers': `redis_url` is theirs.
    env.pop("CELERY_BROKER_URL", None)
    env.update(extra)
    return env


def flush(redis_url: str) -> None:
    redis.Redis.from_url(redis_url).flushdb()


def poll_every_two_seconds() -> None:
    """Beat's schedule of due-source polls, every two seconds instead of every minute."""
    every, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(task="ingestion.tasks.poll_due_sources").update(
        interval=every, last_run_at=None, enabled=True
    )


def pipeline_counts(source) -> dict[str, int]:
    """What the workers made of `source`: articles, successful polls, transcripts and
    ready digests, read from their commits."""
    connection.close()  # see the workers' commits, not a stale snapshot
    return {
        "articles": Article.objects.filter(source=source).count(),
        "polls": IngestionLog.objects.filter(source=source, outcome="ok").count(),
        "transcripts": Transcript.objects.filter(article__source=source).count(),
        "digests": Digest.objects.filter(article__source=source, status="ready").count(),
    }


def purge_queues(broker_url: str) -> None:
    """Empty the project's queues on a broker other than our private Redis database
    (RabbitMQ), so that no message left by an earlier run reaches this run's workers."""
    from kombu import Connection

    with Connection(broker_url, connect_timeout=3) as broker:
        for queue in settings.CELERY_TASK_QUEUES:
            # A channel each: purging a queue that was never declared closes its channel.
            with broker.channel() as channel, contextlib.suppress(*broker.channel_errors):
                channel.queue_purge(queue.name)


def due_source(feed_url: str):
    """A source of `feed_url`, due now and every two seconds after (beat's pace here)."""
    return make_source(
        feed_url=feed_url, poll_interval=timedelta(seconds=2), next_poll_at=timezone.now()
    )
