"""Worker faults: processes killed, services restarted; nothing is lost or done twice.

Real Celery workers and beats run as subprocesses against the PostgreSQL test
database and a private Redis database (tests/integration/workers.py and
testing/services.py). Faults are real: SIGKILL and SIGTERM sent to worker processes,
a redis-server of our own killed and started again, a PostgreSQL cluster of our own
stopped and started.

The Redis visibility_timeout is 2 h in production (settings.py). Here
CELERY_VISIBILITY_TIMEOUT shortens it to a few seconds, so that a task whose
worker died comes back within the test rather than two hours later.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from articles.models import Article
from digests.models import Digest
from ingestion.models import IngestionLog, Transcript
from testing.http_servers import Request, Response, serve
from testing.services import children, start_beat, start_worker
from tests.digests.fake_llm import FakeLLMServer, FakeResponse, RecordedRequest
from tests.factories import make_source
from tests.ingestion.pipeline.feeds import TOPICS, podcast_feed, transcript_vtt
from tests.integration.workers import flush, private_redis_url, worker_env
from tests.reliability.faults import (
    eventually,
    ping,
    postgres_cluster,
    queued,
    redis_server,
    send_task,
    unacked,
    wait_for,
)

pytestmark = [
    pytest.mark.celery,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Seconds an unacknowledged task waits before Redis hands it to another worker, in
# these tests only (production: 7200).
VISIBILITY = 4


@pytest.fixture
def broker(worker_id):
    url = private_redis_url(worker_id)
    flush(url)
    yield url
    flush(url)


class SlowOnce:
    """A route whose first request hangs (until released) and later ones answer at once.

    The hang is where the fault lands: a worker is killed while it waits here.
    """

    def __init__(self, body: bytes, content_type: str, *, hang: float = 60) -> None:
        self.body, self.content_type, self.hang = body, content_type, hang
        self.release = threading.Event()
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self._lock:
            self.calls += 1
            first = self.calls == 1
        if first:
            self.release.wait(self.hang)
        return Response(body=self.body, content_type=self.content_type)


def _counts(source) -> dict[str, int]:
    connection.close()  # see the workers' commits, not a stale snapshot
    return {
        "articles": Article.objects.filter(source=source).count(),
        "polls": IngestionLog.objects.filter(source=source).count(),
        "transcripts": Transcript.objects.filter(article__source=source).count(),
        "digests": Digest.objects.filter(article__source=source, status="ready").count(),
    }


def _digests_by_language(source) -> list[tuple[str, str]]:
    connection.close()
    return sorted(
        Digest.objects.filter(article__source=source).values_list("article__guid", "language")
    )


# --- SIGKILL in the middle of a task ----------------------------------------------


def test_kill_9_mid_transcript_fetch_requeues_and_completes_once(tmp_path, broker):
    env = worker_env(broker)
    transcript = SlowOnce(transcript_vtt(3).encode(), "text/vtt")
    with serve() as server:
        server.routes["/feed.xml"] = podcast_feed(server.url("").rstrip("/"), 1)
        server.routes["/t/1.vtt"] = transcript
        source = make_source(feed_url=server.url("/feed.xml"))
        worker = start_worker(env, tmp_path / "worker.log")
        try:
            send_task(broker, "ingestion.tasks.poll_source", source.pk)
            wait_for(lambda: transcript.calls == 1, timeout=60, what="the fetch", logs=[worker])
            # The pool process doing the fetch dies (the OOM killer, a segfault); the
            # worker's main process sees it lost and requeues the task at once
            # (acks_late + reject_on_worker_lost), without waiting for visibility_timeout.
            [child] = children(worker.pid, recursive=False)
            os.kill(child, signal.SIGKILL)
            wait_for(
                lambda: _counts(source)["digests"] == 1,
                timeout=60,
                what="the digest after the requeue",
                logs=[worker],
            )
            assert worker.handle.poll() is None
        finally:
            transcript.release.set()
            worker.kill()

    assert "WorkerLostError" in worker.output()
    assert transcript.calls == 2  # the killed attempt and the one that completed
    assert _counts(source) == {"articles": 1, "polls": 1, "transcripts": 1, "digests": 1}


def _llm_answer(language: str) -> dict:
    """A valid digest answer quoting the pipeline transcript (tests/ingestion/pipeline/feeds.py)."""
    points = []
    for heading, text in TOPICS:
        first = text.split(". ")[0]
        points.append({"heading": heading, "body": first + ".", "quote": first})
    return {
        "tldr": f"[{language}] Chips, open weights, rules, power and a security flaw.",
        "key_points": points,
        "conclusion": "A busy week that shapes next year.",
        "score_parts": {"substance": 8, "novelty": 7, "clarity": 8, "relevance": 8},
        "topic": "",
        "tags": ["chips", "regulation", "security"],
    }


def test_kill_9_of_a_whole_worker_mid_digest_redelivers_once(tmp_path, broker):
    llm = FakeLLMServer().start()
    served = {"first": True}

    def answer(request: RecordedRequest) -> FakeResponse:
        # The first call hangs (the worker is killed meanwhile); later ones answer in the
        # language asked for, which the system prompt names.
        language = "fr" if "French" in request.system else "en"
        content = json.dumps(_llm_answer(language))
        if served.pop("first", False):
            return FakeResponse.completion(content, delay=120)
        return FakeResponse.completion(content)

    llm.add_rule(answer)
    env = worker_env(
        broker,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY),
        LLM_BASE_URL=llm.base_url,
        LLM_MODEL="fake-model",
        LLM_API_KEY="test-key",
        LLM_TIMEOUT="150",
        SUMMARIZER_BACKEND="llm",
        DIGEST_LANGUAGES="en,fr",
    )
    workers = []
    try:
        with serve() as server:
            server.routes["/feed.xml"] = podcast_feed(server.url("").rstrip("/"), 1)
            server.routes["/t/1.vtt"] = Response(
                body=transcript_vtt(3).encode(), content_type="text/vtt"
            )
            source = make_source(feed_url=server.url("/feed.xml"))
            workers.append(start_worker(env, tmp_path / "worker1.log"))
            send_task(broker, "ingestion.tasks.poll_source", source.pk)
            wait_for(
                lambda: len(llm.chat_requests) == 1,
                timeout=60,
                what="the first LLM call",
                logs=workers,
            )
            killed_at = time.monotonic()
            # The whole machine goes: main process and pool together, nobody to requeue.
            workers[0].kill(signal.SIGKILL)
            assert unacked(broker) == 1, "the digest task should wait, unacknowledged"
            assert _counts(source)["digests"] == 0
            # Redis hands it out again once visibility_timeout has passed.
            time.sleep(max(0.0, killed_at + VISIBILITY + 0.5 - time.monotonic()))
            workers.append(start_worker(env, tmp_path / "worker2.log", name="w2"))
            wait_for(
                lambda: _counts(source)["digests"] == 2,
                timeout=90,
                what="both digests from the second worker",
                logs=workers,
            )
            # The digests commit just before the task is acknowledged.
            wait_for(lambda: unacked(broker) == 0, timeout=30, what="the ack", logs=workers)
    finally:
        llm.stop()
        for worker in workers:
            worker.kill()

    assert _digests_by_language(source) == [("test-episode-1", "en"), ("test-episode-1", "fr")]
    assert _counts(source) == {"articles": 1, "polls": 1, "transcripts": 1, "digests": 2}
    # One call lost with the first worker, then one per language.
    assert len(llm.chat_requests) == 3
    assert unacked(broker) == 0 and queued(broker) == 0


# --- SIGTERM: a warm shutdown finishes what it started ------------------------------


def test_sigterm_mid_task_finishes_it_and_leaves_the_next_step_queued(tmp_path, broker):
    env = worker_env(broker)
    transcript = SlowOnce(transcript_vtt(3).encode(), "text/vtt", hang=3)
    with serve() as server:
        server.routes["/feed.xml"] = podcast_feed(server.url("").rstrip("/"), 1)
        server.routes["/t/1.vtt"] = transcript
        source = make_source(feed_url=server.url("/feed.xml"))
        worker = start_worker(env, tmp_path / "worker.log")
        try:
            send_task(broker, "ingestion.tasks.poll_source", source.pk)
            wait_for(lambda: transcript.calls == 1, timeout=60, what="the fetch", logs=[worker])
            # What systemd, Docker or Kubernetes send first: the main process only.
            os.kill(worker.handle.pid, signal.SIGTERM)
            code = worker.handle.wait(60)
        finally:
            transcript.release.set()
            worker.kill()

    assert code == 0, worker.output()[-3000:]
    counts = _counts(source)
    assert counts["transcripts"] == 1 and transcript.calls == 1  # finished, not redone
    # The fetch was acknowledged and the digest step waits for the next worker.
    assert unacked(broker) == 0
    assert queued(broker) == 1
    assert counts["digests"] == 0


# --- a Redis restart while polling --------------------------------------------------


def _poll_every_second() -> None:
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(task="ingestion.tasks.poll_due_sources").update(
        interval=every, last_run_at=None, enabled=True
    )


def test_redis_restart_while_polling_loses_no_episode(tmp_path):
    _poll_every_second()
    # The transcript of episode 2 is slow, so the worker is busy with it while the
    # task for episode 3 waits in Redis: the restart (no persistence) wipes that task.
    slow = SlowOnce(transcript_vtt(3).encode(), "text/vtt", hang=4)
    with redis_server(tmp_path) as own_redis, serve() as server:
        env = worker_env(own_redis.url, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY))
        base = server.url("").rstrip("/")
        server.routes["/feed.xml"] = podcast_feed(base, 1)
        for n in (1, 3):
            server.routes[f"/t/{n}.vtt"] = Response(
                body=transcript_vtt(3).encode(), content_type="text/vtt"
            )
        server.routes["/t/2.vtt"] = slow
        source = make_source(
            feed_url=server.url("/feed.xml"),
            poll_interval=timedelta(seconds=2),
            next_poll_at=timezone.now(),
        )
        processes = [
            start_worker(env, tmp_path / "worker.log"),
            start_beat(env, tmp_path / "beat.log", tmp_path / "beat-schedule"),
        ]
        try:
            wait_for(
                lambda: _counts(source)["digests"] == 1,
                timeout=90,
                what="episode 1",
                logs=processes,
            )
            server.routes["/feed.xml"] = podcast_feed(base, 3)
            wait_for(lambda: slow.calls == 1, timeout=60, what="episode 2's fetch", logs=processes)
            own_redis.kill()
            time.sleep(1)
            own_redis.start()  # same port, empty
            wait_for(
                lambda: _counts(source)["digests"] == 3,
                timeout=120,
                what="all three episodes after the restart",
                logs=processes,
            )
            assert all(p.handle.poll() is None for p in processes)
        finally:
            slow.release.set()
            for process in processes:
                process.kill()

    counts = _counts(source)
    assert counts["articles"] == 3 and counts["transcripts"] == 3 and counts["digests"] == 3
    guids = sorted(Article.objects.filter(source=source).values_list("guid", flat=True))
    assert guids == ["test-episode-1", "test-episode-2", "test-episode-3"]


# --- beat restarted, or two beats at once -------------------------------------------


def test_two_beats_and_a_beat_restart_never_double_poll(tmp_path, broker):
    _poll_every_second()
    interval = 3
    env = worker_env(broker)
    with serve() as server:
        server.routes["/feed.xml"] = podcast_feed(server.url("").rstrip("/"), 1)
        server.routes["/t/1.vtt"] = Response(
            body=transcript_vtt(3).encode(), content_type="text/vtt"
        )
        source = make_source(
            feed_url=server.url("/feed.xml"),
            poll_interval=timedelta(seconds=interval),
            next_poll_at=timezone.now(),
        )
        worker = start_worker(env, tmp_path / "worker.log", concurrency=2)
        beats = [
            start_beat(env, tmp_path / "beat1.log", tmp_path / "beat1-schedule"),
            start_beat(env, tmp_path / "beat2.log", tmp_path / "beat2-schedule"),
        ]
        try:
            wait_for(
                lambda: _counts(source)["polls"] >= 2,
                timeout=60,
                what="two polls",
                logs=[worker, *beats],
            )
            beats[0].kill(signal.SIGKILL)
            beats[0] = start_beat(env, tmp_path / "beat1b.log", tmp_path / "beat1-schedule")
            wait_for(
                lambda: _counts(source)["polls"] >= 5,
                timeout=60,
                what="three more polls",
                logs=[worker, *beats],
            )
        finally:
            for process in [*beats, worker]:
                process.kill()

    connection.close()
    starts = list(
        IngestionLog.objects.filter(source=source)
        .order_by("started_at")
        .values_list("started_at", flat=True)
    )
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
    # Each poll waits for the previous one's interval: a claim is an atomic UPDATE.
    assert min(gaps) >= interval - 0.05, gaps
    ticks = worker.output().count("poll_due_sources") // 2  # "received" + "succeeded"
    assert ticks > len(starts) * 2, "both beats should have been sending ticks"
    assert Article.objects.filter(source=source).count() == 1


# --- PostgreSQL restarted -----------------------------------------------------------

SEED = """
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from ingestion.models import Source

call_command("migrate", verbosity=0)
every, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
PeriodicTask.objects.filter(task="ingestion.tasks.poll_due_sources").update(
    interval=every, last_run_at=None, enabled=True
)
Source.objects.create(
    name="Restart", slug="restart", kind="podcast", feed_url={feed_url!r},
    poll_interval=timedelta(seconds=2), next_poll_at=timezone.now(),
)
"""


def test_postgres_restart_workers_reconnect_and_carry_on(tmp_path, broker):
    # Episode 2's transcript arrives while the database is down: the task that fetched
    # it fails on its write, and the next poll after VISIBILITY takes the episode up.
    slow = SlowOnce(transcript_vtt(3).encode(), "text/vtt", hang=3)
    with postgres_cluster() as pg, serve() as server:
        base = server.url("").rstrip("/")
        server.routes["/feed.xml"] = podcast_feed(base, 1)
        server.routes["/t/1.vtt"] = Response(
            body=transcript_vtt(3).encode(), content_type="text/vtt"
        )
        server.routes["/t/2.vtt"] = slow
        pg.django(SEED.format(feed_url=server.url("/feed.xml")))
        env = worker_env(
            broker, DATABASE_URL=pg.database_url, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY)
        )

        def published() -> int:
            sql = "SELECT count(*) FROM articles_article WHERE status = 'published'"
            return int(pg.scalar(sql))

        processes = [
            start_worker(env, tmp_path / "worker.log"),
            start_beat(env, tmp_path / "beat.log", tmp_path / "beat-schedule"),
        ]
        try:
            assert eventually(lambda: published() == 1, 90), processes[0].output()[-3000:]
            server.routes["/feed.xml"] = podcast_feed(base, 2)
            wait_for(lambda: slow.calls == 1, timeout=60, what="episode 2's fetch", logs=processes)
            pg.stop()
            time.sleep(4)  # the fetch returns into the outage; beat ticks and polls fail
            pg.start()
            assert eventually(lambda: published() == 2, 90), processes[0].output()[-3000:]
            assert all(p.handle.poll() is None for p in processes), "a process died"
            assert eventually(lambda: ping(broker), 20), "the worker no longer answers"
        finally:
            slow.release.set()
            for process in processes:
                process.kill()
        articles = pg.query("SELECT guid, status FROM articles_article ORDER BY guid")
        transcripts = pg.scalar("SELECT count(*) FROM articles_transcript")
        digests = pg.scalar("SELECT count(*) FROM articles_digest")
    assert articles == [("test-episode-1", "published"), ("test-episode-2", "published")]
    assert transcripts == 2 and digests == 2
    assert "OperationalError" in processes[0].output()  # the outage did hit a task
