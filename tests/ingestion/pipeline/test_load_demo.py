"""`manage.py load_demo`: a demo that is current and whole whenever it is loaded.

Run on one day, the newest episodes land earlier that day and the rest over the two
weeks before; run again days later, the same articles move forward, and nothing is
created twice. Every main topic has three digests or more (so every article page has
its "More from <topic>"), and every article's artwork and audio are the demo's own
files, served by the site.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from digests.models import Digest, KeyPoint
from ingestion.models import Source, Transcript
from topics.models import Topic

DEMO = Path(settings.BASE_DIR) / "demo"
FIRST_RUN = datetime(2027, 3, 10, 14, 30, tzinfo=UTC)
LATER = FIRST_RUN + timedelta(days=3, hours=5)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "sources": Source.objects.count(),
        "articles": Article.objects.count(),
        "transcripts": Transcript.objects.count(),
        "digests": Digest.objects.count(),
        "key points": KeyPoint.objects.count(),
    }


def dates() -> dict[str, datetime]:
    return dict(Article.objects.values_list("guid", "published_at"))


def test_load_demo_places_the_demo_now_and_moves_it_forward_on_a_later_day():
    with time_machine.travel(FIRST_RUN, tick=False):
        call_command("load_demo", verbosity=0)
        now = timezone.now()
        first, loaded = dates(), counts()
        newest = max(first.values())
        assert newest <= now
        assert timezone.localdate(newest) == timezone.localdate(now)
        assert min(first.values()) >= now - timedelta(days=14)
        # Today shows a few episodes, not one, and none of them is in the future.
        today = [d for d in first.values() if timezone.localdate(d) == timezone.localdate(now)]
        assert len(today) >= 2
        # Spread over the fortnight: most days have an episode.
        assert len({timezone.localdate(d) for d in first.values()}) >= 12

    with time_machine.travel(LATER, tick=False):
        call_command("load_demo", verbosity=0)
        now = timezone.now()
        second = dates()
        assert counts() == loaded  # nothing duplicated
        assert second.keys() == first.keys()
        assert max(second.values()) <= now
        assert timezone.localdate(max(second.values())) == timezone.localdate(now)
        for guid, before in first.items():
            # Same calendar, three days on (today's, spread over more hours, a bit more).
            assert timedelta(days=3) <= second[guid] - before <= LATER - FIRST_RUN, guid

    assert loaded["sources"] == 6
    assert loaded["articles"] >= 24


def test_every_main_topic_has_three_demo_digests_or_more():
    call_command("load_demo", verbosity=0)
    published = Article.objects.published()
    for topic in Topic.objects.all():
        assert published.filter(topic=topic).count() >= 3, topic.slug


def test_demo_articles_use_the_demos_own_artwork_and_audio(client):
    call_command("load_demo", verbosity=0)
    media = DEMO / "media"
    lengths = json.loads((DEMO / "audio.json").read_text(encoding="utf-8"))
    prefix = f"{settings.SITE_URL}{settings.STATIC_URL}demo/"
    for article in Article.objects.select_related("source"):
        assert article.image_url == f"{prefix}art/{article.source.slug}.svg"
        assert (media / "art" / f"{article.source.slug}.svg").is_file()
        assert article.audio_url.startswith(f"{prefix}audio/"), article.title
        name = article.audio_url.removeprefix(f"{prefix}audio/")
        assert (media / "audio" / name).is_file(), name
        assert article.audio_type == "audio/ogg"
        # Long enough for every key point's moment.
        seconds = lengths[Path(name).stem]["seconds"]
        assert article.duration_seconds, article.title
        starts = KeyPoint.objects.filter(digest__article=article).values_list(
            "start_seconds", flat=True
        )
        assert all(s is None or s < seconds for s in starts), article.title

    # A demo video plays its local audio under its artwork: no YouTube embed.
    video = Article.objects.published().filter(source__kind=Source.Kind.YOUTUBE).first()
    page = client.get(video.get_absolute_url()).content.decode()
    assert "youtube" not in page.split('id="player"')[1].split("</section>")[0]
    assert f'src="{settings.STATIC_URL}demo/audio/{video.video_id}.opus"' in page
    assert f'src="{settings.STATIC_URL}demo/art/{video.source.slug}.svg"' in page


def test_the_demo_media_stay_small():
    audio = sum(p.stat().st_size for p in (DEMO / "media").rglob("*") if p.is_file())
    assert audio < 25 * 1024 * 1024
