"""The daily LLM and speech-to-text budgets survive anything the cache does.

Finding (issue 16): both budgets were counted in the cache, which fails open and
which the README's `volatile-lru` lets Redis evict, so a spent budget could silently
come back. They are now counted in the database (articles/budgets.py): these tests
spend some budget, flush the cache (Redis when REDIS_URL is set) or take it down, and
find the same budget left.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection

from articles.budgets import LLM_TOKENS, STT_SECONDS, budget_charge, budget_spent
from articles.models import Article
from digests import services as digests_services
from digests.models import Digest
from ingestion import services as ingestion_services
from tests.digests.fake_llm import FakeLLMServer, FakeResponse
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


def flush_cache() -> None:
    """Empty the cache the way an eviction or a Redis restart would.

    On Redis, every key this test process wrote is under its worker's prefix
    (tests/conftest.py), so deleting them all is a flush as far as the code under test
    can tell; FLUSHDB itself would also wipe the keys of the other xdist workers and
    suites that share this Redis, mid-test.
    """
    from django.core.cache import cache

    if django_settings.REDIS_URL:
        client = cache._cache.get_client(write=True)
        prefix = django_settings.CACHES["default"]["KEY_PREFIX"]
        keys = list(client.scan_iter(f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        assert not list(client.scan_iter(f"{prefix}:*", count=1000))
    else:
        cache.clear()


LLM_ANSWER = {
    "tldr": "The team shipped a new model.",
    "key_points": [
        {"heading": "A new model", "body": "The new model shipped.", "quote": "new model"},
        {"heading": "The show", "body": "The host welcomed listeners.", "quote": "the show"},
        {"heading": "Main news", "body": "That was the main news.", "quote": "main news"},
        {"heading": "Shipping", "body": "The team shipped it.", "quote": "We shipped"},
        {"heading": "Welcome", "body": "The episode opened.", "quote": "Welcome to"},
    ],
    "conclusion": "A short episode about one release.",
    "score_parts": {"substance": 6, "novelty": 6, "clarity": 7, "relevance": 6},
    "topic": "ai",
    "tags": ["models", "releases", "machine learning"],
}


@pytest.fixture
def llm(settings):
    """A fake OpenAI-compatible server that answers every request, 550 tokens each."""
    with FakeLLMServer() as server:
        answer = json.dumps(LLM_ANSWER)
        server.add_rule(
            lambda request: FakeResponse.completion(
                answer, prompt_tokens=300, completion_tokens=250
            )
        )
        settings.SUMMARIZER_BACKEND = "llm"
        settings.LLM_BASE_URL = server.base_url
        settings.LLM_MODEL = "fake-model"
        settings.LLM_API_KEY = "test-key"
        settings.DIGEST_LANGUAGES = ["en"]
        yield server


def transcribed_article() -> Article:
    """An article with its transcript and no digest yet."""
    article = make_article(status=Article.Status.TRANSCRIBED)
    article.digests.all().delete()
    return article


def test_the_llm_token_budget_survives_a_cache_flush(settings, llm):
    # One call (550 tokens) fits under the budget; after it, nothing more does.
    settings.LLM_DAILY_TOKEN_BUDGET = 500
    [digest] = digests_services.digest_make(article=transcribed_article())
    assert digest.status == Digest.Status.READY
    assert len(llm.requests) == 1
    assert budget_spent(kind=LLM_TOKENS) == 550

    flush_cache()

    assert budget_spent(kind=LLM_TOKENS) == 550
    [digest] = digests_services.digest_make(article=transcribed_article())
    # The editor sees the digest wait for tomorrow's budget, and nothing was sent.
    assert digest.status == Digest.Status.WAITING
    assert "daily LLM token budget spent (550 tokens)" in digest.error
    assert len(llm.requests) == 1


def make_episode(**fields) -> Article:
    """An episode as ingestion leaves it: audio, a duration, no transcript yet."""
    source = make_source()
    return Article.objects.create(
        source=source,
        guid=f"budget-{source.pk}",
        slug=f"budget-{source.pk}",
        title="An episode",
        status=Article.Status.NEW,
        language="en",
        transcript_links=[],
        description_html="",
        audio_url="https://cdn.example.org/episode.mp3",
        video_id="",
        **fields,
    )


def test_the_speech_to_text_budget_survives_a_cache_flush(settings):
    settings.STT_DAILY_MINUTES = 10
    # Never reached: the budget is checked before any download or upload.
    settings.STT_BASE_URL = "http://127.0.0.1:9/v1"
    settings.YOUTUBE_CAPTIONS = False
    budget_charge(kind=STT_SECONDS, amount=9 * 60)  # what transcribe_file records

    flush_cache()

    episode = make_episode(duration_seconds=180)
    assert ingestion_services.transcript_fetch(article=episode) is None
    episode.refresh_from_db()
    assert episode.status == Article.Status.NEEDS_TRANSCRIPT
    assert episode.status_code == Article.Reason.BUDGET
    assert episode.status_reason.startswith(
        "daily speech-to-text budget spent (9 of 10 minutes used"
    )


def test_a_budget_holds_while_the_cache_is_down(settings):
    budget_charge(kind=LLM_TOKENS, amount=1200)
    # A Redis that does not answer: the fail-open cache then reads as empty.
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    from digests.base import BudgetExhausted
    from digests.llm import DailyTokenBudget

    budget = DailyTokenBudget(1000)
    assert budget.spent() == 1200
    with pytest.raises(BudgetExhausted):
        budget.check()


def test_budgets_are_counted_per_utc_day_and_kind():
    from datetime import date

    budget_charge(kind=LLM_TOKENS, amount=10, day=date(2026, 1, 1))
    budget_charge(kind=LLM_TOKENS, amount=5, day=date(2026, 1, 1))
    budget_charge(kind=STT_SECONDS, amount=7, day=date(2026, 1, 1))
    assert budget_spent(kind=LLM_TOKENS, day=date(2026, 1, 1)) == 15
    assert budget_spent(kind=STT_SECONDS, day=date(2026, 1, 1)) == 7
    assert budget_spent(kind=LLM_TOKENS, day=date(2026, 1, 2)) == 0


@pytest.mark.postgres
# Serialized rollback: the tables this test empties are restored for those that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_workers_never_lose_each_others_spending():
    # Eight workers charging at once, the day's first charge included: every token
    # counts, as the UPDATE adds to whatever the row holds when it runs.
    threads, charges, errors = 8, 25, []
    start = threading.Barrier(threads)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(charges):
                budget_charge(kind=LLM_TOKENS, amount=3)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    running = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    assert errors == []
    assert budget_spent(kind=LLM_TOKENS) == threads * charges * 3
