"""RSS and Atom feeds of published digests: the latest, and one per topic.

Each item carries the TL;DR in the feed's language, the episode's enclosure, and
`podcast:transcript` links (Podcasting 2.0 namespace) to the transcript files we
serve, so podcast apps can show our transcripts next to the episode.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.models import Article
from topics.models import Topic

PODCAST_NAMESPACE = "https://podcastindex.org/namespace/1.0"
FEED_SIZE = 30
TRANSCRIPT_TYPES = (
    ("article_transcript_vtt", "text/vtt"),
    ("article_transcript_srt", "application/x-subrip"),
)


class _TranscriptElements:
    """Writes podcast:transcript elements; URLs arrive relative and are made absolute
    against the request's site root, passed per feed (feed instances are shared
    between threads, so the request cannot be kept on them)."""

    def add_transcripts(self, handler, item) -> None:
        for path, mime_type in item.get("transcripts", ()):
            attrs = {"url": urljoin(self.feed["site_root"], path), "type": mime_type}
            if item.get("transcript_language"):
                attrs["language"] = item["transcript_language"]
            handler.addQuickElement("podcast:transcript", "", attrs)


class RssWithTranscripts(_TranscriptElements, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:podcast": PODCAST_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_transcripts(handler, item)


class AtomWithTranscripts(_TranscriptElements, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:podcast": PODCAST_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_transcripts(handler, item)


class LatestArticlesFeed(Feed):
    feed_type = RssWithTranscripts

    def get_object(self, request, *args, **kwargs):
        return {"site_root": request.build_absolute_uri("/")}

    def feed_extra_kwargs(self, obj):
        return {"site_root": obj["site_root"]}

    def title(self, obj):
        return _("newsroom: latest digests")

    def description(self, obj):
        return _("Digests of the latest tech podcasts and videos.")

    subtitle = description

    def link(self, obj):
        return reverse("today")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        # A show-notes "transcript" has no timing, so it is not offered as a subtitle file.
        # (Transcript lives in the ingestion app: reached through the relation.)
        has_transcript = Exists(
            Article.objects.filter(pk=OuterRef("pk"), transcript__isnull=False).exclude(
                transcript__origin="description"
            )
        )
        return (
            self.articles(obj)
            .for_cards()
            .with_tags()
            .annotate(has_transcript=has_transcript)
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_description(self, item):
        digest = item.digest_for((get_language() or "en")[:2])
        return linebreaks(escape(digest.tldr)) if digest else ""

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.source.name

    def item_categories(self, item):
        names = [item.topic.name] if item.topic else []
        return names + [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        if not item.audio_url:
            return []
        # The feed we read rarely states a reliable length; "0" is the accepted "unknown".
        return [Enclosure(item.audio_url, "0", item.audio_type or "audio/mpeg")]

    def item_extra_kwargs(self, item):
        if not getattr(item, "has_transcript", False):
            return {}
        return {
            "transcripts": [
                (reverse(name, kwargs={"slug": item.slug}), mime) for name, mime in TRANSCRIPT_TYPES
            ],
            "transcript_language": item.language,
        }


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomWithTranscripts


class TopicArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return {
            "site_root": request.build_absolute_uri("/"),
            "topic": Topic.objects.get(slug=slug),
        }

    def title(self, obj):
        return _("newsroom: %(topic)s") % {"topic": obj["topic"].name}

    def description(self, obj):
        return obj["topic"].description or _("Digests about %(topic)s.") % {
            "topic": obj["topic"].name
        }

    subtitle = description

    def link(self, obj):
        return obj["topic"].get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().for_topic(obj["topic"])


class TopicArticlesAtomFeed(TopicArticlesFeed):
    feed_type = AtomWithTranscripts
