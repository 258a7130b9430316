"""Today, the front page: the day's lead, the rest of the day, the week by day, a row
per topic; never an empty page while something is published."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def page(client, prefix="") -> str:
    response = client.get(f"{prefix}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_days_best_digest_leads_and_the_rest_of_the_day_follows(client):
    make_article(title="Good episode", score=6.5)
    make_article(title="Best episode", score=8.9, topic="crypto")
    make_article(title="Fair episode", score=5.1)
    html = page(client)
    lead = html[html.index('class="front-lead"') : html.index("</section>")]
    assert "Best episode" in lead and "Good episode" not in lead
    assert "Today’s lead" in lead or "Today's lead" in lead
    also = html.index("Also today")
    assert also < html.index("Good episode") < html.index("Fair episode")


def test_earlier_days_of_the_week_come_by_day_and_older_ones_stay_in_the_archives(client):
    now = timezone.localtime()
    make_article(title="News of today", published_at=now - timedelta(minutes=5))
    make_article(title="Two days ago", published_at=now - timedelta(days=2))
    make_article(title="Three weeks ago", published_at=now - timedelta(days=21), topic="policy")
    html = page(client)
    day = (now - timedelta(days=2)).date()
    heading = f'href="/archives/{day.year}/{day.month}/{day.day}/"'
    assert html.index("News of today") < html.index(heading) < html.index("Two days ago")
    # Not in the week: only in its topic's row, never under a day.
    assert html.count(">Three weeks ago</a>") == 1
    assert html.index('id="topic-policy"') < html.index("Three weeks ago")


def test_each_topic_gets_a_row_of_its_latest_digests(client):
    for i in range(6):
        make_article(title=f"Crypto story {i}", topic="crypto", score=5 + i / 10)
    make_article(title="An AI story", topic="ai")
    html = page(client)
    row = html[html.index('id="topic-crypto"') :]
    row = row[: row.index("</section>")]
    assert row.count('<article class="card') == 3  # the three newest
    assert "More in Crypto" in row
    assert 'id="topic-ai"' in html and 'id="topic-cloud"' not in html  # no empty rows


def test_a_day_without_news_shows_the_latest_with_a_note_above_it(client, lang):
    code, prefix = lang
    make_article(title="Lead of yesterday", published_at=timezone.now() - timedelta(days=1))
    html = page(client, prefix)
    note = "Nothing has been published yet today" if code == "en" else "Rien n’a encore"
    assert html.index(note) < html.index('class="front-lead"') < html.index("Lead of yesterday")


def test_french_front_page_speaks_french(client):
    make_article(title="Un épisode", score=7.0, topic="crypto", digest_languages=("en", "fr"))
    make_article(title="Un autre", score=6.0, topic="crypto", digest_languages=("en", "fr"))
    html = page(client, "/fr")
    assert "À la une aujourd’hui" in html and "Aussi aujourd’hui" in html
    assert "Tout le thème Crypto" in html
