"""JSON shapes of the public API.

Read-only, and in the language the client asked for (the view puts it in the
serializer context as "language"): an article carries its digest in that language
when there is one, else in the language there is.

Only what a reader may see: no feed URL (it may carry a private feed's credentials),
and every stored URL through PublicURLField.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from articles.models import Article
from articles.transcript_data import Segment
from digests.models import Digest, KeyPoint
from ingestion.fetch import public_url
from ingestion.models import Source, Transcript
from topics.models import Topic


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class PublicURLField(serializers.URLField):
    """A URL from a feed or an editor as anyone may see it: never its user info, and
    "" when it points inside the operator's network (the fetcher's judgement, from the
    text alone: no DNS lookup while answering)."""

    def __init__(self, **kwargs):
        # allow_blank: the schema says "a URI or an empty string", as the answers do.
        super().__init__(read_only=True, allow_blank=True, **kwargs)

    def to_representation(self, value) -> str:
        return public_url(str(value or ""))


class TopicSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the requested language.")
    description = serializers.CharField(read_only=True)
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = ["slug", "name", "name_en", "name_fr", "description", "in_nav", "html_url"]

    def get_html_url(self, topic: Topic) -> str:
        return _absolute(self.context.get("request"), topic.get_absolute_url())


class TopicRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "name"]


class SourceSerializer(serializers.ModelSerializer):
    default_topic = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    site_url = PublicURLField(help_text="The source's own home page, when it has a public one.")

    class Meta:
        model = Source
        # Not feed_url: private podcasts' feeds carry credentials, and readers follow
        # the site; the feed stays in the admin.
        fields = ["slug", "name", "kind", "language", "site_url", "default_topic"]


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["slug", "name", "kind"]


class KeyPointSerializer(serializers.ModelSerializer):
    html_url = serializers.SerializerMethodField(
        help_text="The article page, playing from the moment this point comes from."
    )

    class Meta:
        model = KeyPoint
        fields = ["heading", "body", "start_seconds", "quote", "grounded", "html_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, point: KeyPoint) -> str:
        url = _absolute(self.context.get("request"), self.context["article"].get_absolute_url())
        if point.start_seconds is None:
            return url
        return f"{url}?t={int(point.start_seconds)}"


class DigestSerializer(serializers.ModelSerializer):
    score = serializers.DecimalField(
        source="effective_score",
        max_digits=3,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text="The editor's score when there is one.",
    )
    computed_score = serializers.DecimalField(
        source="score",
        max_digits=3,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
    )
    editor_score = serializers.DecimalField(
        source="score_override",
        max_digits=3,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
    )
    score_parts = serializers.DictField(child=serializers.FloatField(), read_only=True)
    key_points = serializers.SerializerMethodField()

    class Meta:
        model = Digest
        fields = [
            "language",
            "tldr",
            "conclusion",
            "score",
            "computed_score",
            "editor_score",
            "score_parts",
            "from_show_notes",
            "grounding",
            "key_points",
            "updated_at",
        ]

    @extend_schema_field(KeyPointSerializer(many=True))
    def get_key_points(self, digest: Digest) -> list[dict]:
        return KeyPointSerializer(digest.key_points.all(), many=True, context=self.context).data


class SegmentSerializer(serializers.Serializer):
    start = serializers.FloatField(allow_null=True)
    end = serializers.FloatField(allow_null=True)
    speaker = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)


class TranscriptSerializer(serializers.ModelSerializer):
    segments = serializers.SerializerMethodField()

    class Meta:
        model = Transcript
        fields = ["origin", "language", "word_count", "segments"]

    @extend_schema_field(SegmentSerializer(many=True))
    def get_segments(self, transcript: Transcript) -> list[dict]:
        # Stored JSON written by parsers: rows that are not segments are skipped, not 500s.
        rows = [segment.as_dict() for segment in Segment.from_rows(transcript.segments)]
        return SegmentSerializer(rows, many=True).data


class ArticleSerializer(serializers.ModelSerializer):
    """An article in a list: enough for a card."""

    url = serializers.SerializerMethodField(help_text="This article in the API.")
    html_url = serializers.SerializerMethodField(help_text="The article page, in the language.")
    source = SourceRefSerializer(read_only=True)
    topic = TopicRefSerializer(read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    score = serializers.DecimalField(
        max_digits=3, decimal_places=1, coerce_to_string=False, read_only=True, allow_null=True
    )
    is_video = serializers.BooleanField(read_only=True)
    tldr = serializers.SerializerMethodField(help_text="From the digest in the language.")
    digest_language = serializers.SerializerMethodField()
    rank = serializers.SerializerMethodField(help_text="Relevance, when searching (?q=).")
    snippet = serializers.SerializerMethodField(
        help_text="When searching: HTML text (escaped) with the matched words in <mark>."
    )
    # Links read from the feed: a relative one was made absolute against the feed's URL.
    image_url = PublicURLField()
    audio_url = PublicURLField()
    video_url = PublicURLField()
    original_url = PublicURLField()

    class Meta:
        model = Article
        fields = [
            "slug",
            "url",
            "html_url",
            "title",
            "language",
            "published_at",
            "source",
            "topic",
            "tags",
            "score",
            "featured",
            "is_video",
            "duration_seconds",
            "image_url",
            "audio_url",
            "video_url",
            "original_url",
            "tldr",
            "digest_language",
            "rank",
            "snippet",
        ]

    def _digest(self, article: Article) -> Digest | None:
        return article.digest_for(self.context.get("language", "en"))

    def get_url(self, article: Article) -> str:
        return reverse(
            "api:article-detail", kwargs={"slug": article.slug}, request=self.context.get("request")
        )

    def get_html_url(self, article: Article) -> str:
        return _absolute(self.context.get("request"), article.get_absolute_url())

    def get_tags(self, article: Article) -> list[str]:
        return [tag.name for tag in article.tags.all()]

    def get_tldr(self, article: Article) -> str | None:
        digest = self._digest(article)
        return digest.tldr if digest else None

    def get_digest_language(self, article: Article) -> str | None:
        digest = self._digest(article)
        return digest.language if digest else None

    def get_rank(self, article: Article) -> float | None:
        rank = getattr(article, "rank", None)
        return round(rank, 6) if rank is not None else None

    def get_snippet(self, article: Article) -> str | None:
        snippet = getattr(article, "snippet", None)
        return str(snippet) if snippet is not None else None


class ArticleDetailSerializer(ArticleSerializer):
    """One article: its digest in the language, key points with their start times, and
    the transcript when asked for (?include=transcript)."""

    digest = serializers.SerializerMethodField()
    digest_languages = serializers.SerializerMethodField()
    transcript = serializers.SerializerMethodField(help_text="null unless ?include=transcript.")

    class Meta(ArticleSerializer.Meta):
        fields = [
            *(f for f in ArticleSerializer.Meta.fields if f not in {"rank", "snippet"}),
            "digest",
            "digest_languages",
            "transcript",
            "updated_at",
        ]

    @extend_schema_field(DigestSerializer(allow_null=True))
    def get_digest(self, article: Article) -> dict | None:
        digest = self._digest(article)
        if digest is None:
            return None
        return DigestSerializer(digest, context={**self.context, "article": article}).data

    def get_digest_languages(self, article: Article) -> list[str]:
        return sorted(d.language for d in article.digests.all() if d.status == Digest.Status.READY)

    @extend_schema_field(TranscriptSerializer(allow_null=True))
    def get_transcript(self, article: Article) -> dict | None:
        if not self.context.get("include_transcript"):
            return None
        try:
            transcript = article.transcript
        except Transcript.DoesNotExist:
            return None
        return TranscriptSerializer(transcript, context=self.context).data
