"""Reader pages for articles: Today, Videos, the archives and the article itself.

Views stay thin: what to read comes from ArticleQuerySet (published(), videos(),
for_cards()); list pages are paginated so that each runs the same few queries
whatever the number of articles.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.views import generic

from articles.media import YOUTUBE_ID, youtube_id_from_url
from articles.models import Article, ready_digests
from articles.permissions import can_edit
from articles.subtitles import segments_to_srt, segments_to_vtt
from articles.transcript_data import Segment
from topics.models import Topic

PAGE_SIZE = 20
RELATED_COUNT = 4
# Decimals: shown per language ("1,5×" in French), sent to the player unlocalised.
PLAYBACK_SPEEDS = [Decimal(s) for s in ("1", "1.25", "1.5", "1.75", "2")]
YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/"


def _day_bounds(day: date) -> dict:
    """The published_at range of one local day, as an indexable range (not __date)."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
    return {"published_at__gte": start, "published_at__lt": end}


def _reader_language() -> str:
    return (get_language() or "en")[:2]


class TodayView(generic.TemplateView):
    """The front page: the day's lead digest (its best score), the rest of the day, the
    previous days of the week by day, then a row per main topic with its latest digests.

    On a day with nothing published yet, a note says so above the latest day's digests:
    the page is never empty while the site has something to show. Its queries are a
    constant few, whatever the number of articles (see tests/articles/test_today.py).
    """

    template_name = "articles/today.html"
    week_days = 7
    # Three: one row of the card grid at desktop width, no card alone on a second line.
    per_topic = 3

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Article.objects.published()
        today = timezone.localdate()
        day = today
        if not published.filter(**_day_bounds(today)).exists():
            latest = (
                published.order_by("-published_at").values_list("published_at", flat=True).first()
            )
            if latest is not None:
                day = timezone.localdate(latest)
        week_start = _day_bounds(day - timedelta(days=self.week_days - 1))["published_at__gte"]
        week = list(
            published.filter(published_at__gte=week_start, published_at__lt=_day_end(day))
            .for_cards()
            .order_by(F("score").desc(nulls_last=True), "-published_at", "-id")
        )
        by_day: dict[date, list[Article]] = {}
        for article in week:
            by_day.setdefault(timezone.localdate(article.published_at), []).append(article)
        days = sorted(by_day, reverse=True)
        lead_day = days[0] if days else day
        lead_list = by_day.get(lead_day, [])
        # Every topic is a row (they come in the editors' order); rows without a digest
        # are left out.
        topics = list(Topic.objects.all())
        latest = list(published.latest_per_topic(topics, self.per_topic).for_cards())
        rows = [(t, [a for a in latest if a.topic_id == t.pk]) for t in topics]
        lead = lead_list[0] if lead_list else None
        lead_digest = lead.digest_for(_reader_language()) if lead else None
        lead_points = list(lead_digest.key_points.order_by("order")[:4]) if lead_digest else []
        context.update(
            day=lead_day,
            today=today,
            is_today=lead_day == today,
            lead=lead,
            lead_digest=lead_digest,
            lead_points=lead_points,
            lead_cover=(site_path(lead.image_url) or lead.image_url) if lead else "",
            rest_of_day=lead_list[1:],
            earlier_days=[(d, by_day[d]) for d in days[1:]],
            topic_rows=[(t, articles) for t, articles in rows if articles],
            page_articles=[*week, *latest],
        )
        return context


def _day_end(day: date) -> datetime:
    return _day_bounds(day)["published_at__lt"]


class VideoListView(generic.ListView):
    template_name = "articles/video_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().videos().for_cards()


def related_articles(article: Article, limit: int = RELATED_COUNT) -> list[Article]:
    """ "More from <topic>": the topic's articles ranked by how many tags they share with
    this one, then by date, so a close match from last month beats an unrelated one
    from this morning. Without a topic, articles sharing a tag stand in.

    Expects article.tags to be prefetched (the detail view does), so the tag ids cost
    no query.
    """
    tag_ids = [tag.pk for tag in article.tags.all()]
    candidates = Article.objects.published().exclude(pk=article.pk)
    if article.topic_id:
        candidates = candidates.filter(topic_id=article.topic_id)
        shared = Count("tags", filter=Q(tags__in=tag_ids), distinct=True) if tag_ids else Value(0)
    elif tag_ids:
        # filter() before annotate(): the count runs over the matching tags only.
        candidates = candidates.filter(tags__in=tag_ids)
        shared = Count("tags", distinct=True)
    else:
        return []
    return list(
        candidates.annotate(shared_tags=shared)
        .for_cards()
        .order_by("-shared_tags", "-published_at", "-id")[:limit]
    )


def _youtube_id(article: Article) -> str:
    # One parser for the whole project (the feeds' own): /watch, youtu.be, /shorts,
    # /live and /embed alike.
    if article.video_id:
        return article.video_id if YOUTUBE_ID.match(article.video_id) else ""
    return youtube_id_from_url(article.video_url or "")


def site_path(url: str) -> str:
    """A URL of this site as a path ("/static/..."), else "".

    Media the site serves itself (the demo's) are stored as absolute URLs under
    SITE_URL, as feeds and the API need them; a page links them by path, so they load
    whatever host name the reader used (localhost for 127.0.0.1, a LAN address...).
    """
    if url.startswith("/") and not url.startswith("//"):
        return url
    site = settings.SITE_URL.rstrip("/")
    if site and url.startswith(f"{site}/"):
        return url[len(site) :]
    return ""


def _start_at(request: HttpRequest) -> int | None:
    """?t=SECONDS: lets a timestamp link seek the player without JavaScript."""
    raw = request.GET.get("t", "")
    if raw.isdigit() and len(raw) < 7:
        return int(raw)
    return None


def _transcript_lines(segments) -> list[dict]:
    """Transcript segments ready for the template: the speaker is named when it changes,
    as in a printed interview, and malformed rows are skipped rather than failing."""
    lines, previous_speaker = [], None
    for segment in Segment.from_rows(segments):
        speaker = segment.speaker
        lines.append(
            {
                "start": segment.start,
                "end": segment.end,
                "speaker": speaker if speaker and speaker != previous_speaker else "",
                "text": segment.text,
            }
        )
        previous_speaker = speaker or previous_speaker
    return lines


class ArticleDetailView(generic.DetailView):
    """The article; editors get any article, whatever its status, with the editor's
    desk above it (desk/desk.py), and readers a 404 for one that is not published."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    @cached_property
    def for_editor(self) -> bool:
        return can_edit(self.request.user)

    def get_queryset(self):
        ready = ready_digests().prefetch_related("key_points")  # in their order (Meta)
        articles = Article.objects.all() if self.for_editor else Article.objects.published()
        return articles.select_related("source", "topic", "transcript").prefetch_related(
            "tags", Prefetch("digests", queryset=ready)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        language = _reader_language()
        digest = article.digest_for(language)
        transcript = getattr(article, "transcript", None)
        start_at = _start_at(self.request)
        local_audio = site_path(article.audio_url)
        # A copy of the episode on this site beats a third-party embed: it needs nobody
        # else and works offline (the demo's videos are played so).
        youtube_id = "" if local_audio else _youtube_id(article)
        if local_audio:
            player, media_url = "audio", local_audio
        elif youtube_id:
            player, media_url = (
                "youtube",
                f"{YOUTUBE_EMBED}{youtube_id}?"
                + urlencode({"enablejsapi": 1, "rel": 0, "playsinline": 1, "start": start_at or 0}),
            )
        elif article.video_url:
            player, media_url = "video", article.video_url
        elif article.audio_url:
            player, media_url = "audio", article.audio_url
        else:
            player, media_url = None, ""
        if media_url and start_at and player != "youtube":
            # A media fragment: the browser starts the file there, no script needed.
            media_url = f"{media_url}#t={start_at}"
        context.update(
            digest=digest,
            digest_in_other_language=digest is not None and digest.language != language,
            key_points=list(digest.key_points.all()) if digest else [],
            transcript=transcript,
            transcript_lines=_transcript_lines(transcript.segments) if transcript else [],
            related=related_articles(article),
            player=player,
            media_url=media_url,
            cover_url=site_path(article.image_url) or article.image_url,
            youtube_watch_url=f"https://www.youtube.com/watch?v={youtube_id}" if youtube_id else "",
            playback_speeds=PLAYBACK_SPEEDS,
            for_editor=self.for_editor,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.for_editor:
            # The desk is the editor's alone: no cache of any kind keeps this page.
            add_never_cache_headers(response)
        return response


class _TranscriptFile(generic.View):
    """The transcript as a subtitle file, for podcast apps (podcast:transcript) and players."""

    content_type = ""
    extension = ""

    def render(self, segments: list[Segment]) -> str:
        raise NotImplementedError

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        # Editors read the transcript of any article, as they read its page.
        editor = can_edit(request.user)
        articles = Article.objects.all() if editor else Article.objects.published()
        article = get_object_or_404(articles.select_related("transcript"), slug=slug)
        transcript = getattr(article, "transcript", None)
        segments = Segment.from_rows(transcript.segments if transcript else [])
        if not segments:
            raise Http404("This article has no transcript.")
        response = HttpResponse(self.render(segments), content_type=self.content_type)
        response["Content-Disposition"] = f'inline; filename="{article.slug}.{self.extension}"'
        if editor:
            add_never_cache_headers(response)
        # Podcast apps and <track> elements on other sites fetch transcripts cross-origin.
        response["Access-Control-Allow-Origin"] = "*"
        return response


class TranscriptVttView(_TranscriptFile):
    content_type = "text/vtt; charset=utf-8"
    extension = "vtt"

    def render(self, segments: list[Segment]) -> str:
        # Imported on use: the writers live with the ingestion parsers, which no other
        # reader page needs to load.

        return segments_to_vtt(segments)


class TranscriptSrtView(_TranscriptFile):
    content_type = "application/x-subrip; charset=utf-8"
    extension = "srt"

    def render(self, segments: list[Segment]) -> str:

        return segments_to_srt(segments)
