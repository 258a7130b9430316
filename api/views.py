"""The read-only public API: articles, topics, sources (thin views over the QuerySets).

Every GET answers with an ETag (a hash of the body) and honours If-None-Match with a
304; an article also has a Last-Modified. The language of digests and names is
?lang=en|fr, else the language cookie or Accept-Language header, else English.
"""

from __future__ import annotations

import hashlib

from django.db.models import Prefetch
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from api.pagination import CheckedCursorPagination
from api.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    SourceSerializer,
    TopicSerializer,
)
from articles.models import LANGUAGE_CHOICES, Article
from digests.models import Digest, KeyPoint
from ingestion.models import Source
from search.backends import add_snippets
from search.filters import PublishedArticleFilter
from topics.models import Topic

LANGUAGES = [code for code, _name in LANGUAGE_CHOICES]
# Public data, the same for everyone: shared caches may keep it a minute.
PUBLIC_MAX_AGE = 60

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=LANGUAGES,
    description="Language of digests and names (default: Accept-Language, else en).",
)


class ConditionalGetMixin:
    """ETag and Last-Modified on GET, and 304 Not Modified when the client has it."""

    cache_control = {"max_age": PUBLIC_MAX_AGE, "public": True}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        last_modified = getattr(self, "last_modified", None)
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, **self.cache_control)
        return get_conditional_response(
            request._request,
            etag=response["ETag"],
            last_modified=int(last_modified.timestamp()) if last_modified else None,
            response=response,
        )


class LanguageMixin:
    """Reads ?lang= and makes it the active language for the request."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        requested = request.query_params.get("lang")
        if requested is not None and requested not in LANGUAGES:
            raise ValidationError({"lang": [_("Choose one of: %s.") % ", ".join(LANGUAGES)]})
        # LocaleMiddleware gives unprefixed paths like /api/ the default language (the
        # site's English pages have no prefix): the API negotiates for itself.
        language = requested or translation.get_language_from_request(request._request)
        self.language = language[:2] if language[:2] in LANGUAGES else LANGUAGES[0]
        translation.activate(self.language)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": self.language}


class OrderedCursorPagination(CheckedCursorPagination):
    """Cursor pagination in the order the FilterSet chose (?sort=), 20 a page by default.

    A cursor is opaque: a tampered one is a 404, never an error page.
    """

    page_size = 20
    max_page_size = 100
    ordering = ("-published_at", "-id")

    def get_ordering(self, request, queryset, view):
        ordering = tuple(o for o in queryset.query.order_by if isinstance(o, str))
        return ordering or self.ordering


@extend_schema_view(
    list=extend_schema(
        summary="Published articles",
        description="Newest first, or as ?sort= says; ?q= searches (websearch syntax: "
        'words, "phrases", -excluded, or) and gives the newest matches, at most the '
        "site's search window (SEARCH_WINDOW, 300 by default), most relevant first "
        "unless ?sort= says otherwise. Cursor-paginated.",
        parameters=[LANG_PARAMETER],
    ),
    retrieve=extend_schema(
        summary="One published article",
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter(
                "include",
                OpenApiTypes.STR,
                enum=["transcript"],
                description="include=transcript adds the transcript's segments.",
            ),
        ],
    ),
)
class ArticleViewSet(ConditionalGetMixin, LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Published articles, with their digest in the requested language."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublishedArticleFilter
    pagination_class = OrderedCursorPagination

    def get_queryset(self):
        published = Article.objects.published()
        if self.action != "retrieve":
            return published.for_cards().with_tags()
        ready = Digest.objects.filter(status=Digest.Status.READY).prefetch_related(
            Prefetch("key_points", queryset=KeyPoint.objects.order_by("order", "id"))
        )
        queryset = published.select_related("source", "topic", "search_document").prefetch_related(
            "tags", Prefetch("digests", queryset=ready)
        )
        if self.include_transcript:
            queryset = queryset.select_related("transcript")
        return queryset

    @property
    def include_transcript(self) -> bool:
        include = self.request.query_params.get("include", "")
        return "transcript" in include.split(",")

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "include_transcript": self.include_transcript}

    def filter_queryset(self, queryset):
        # Filters and search apply to the list; an article is found by its slug alone.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        query = self.request.query_params.get("q", "")
        if page is not None and query:
            add_snippets(page, query, language=self.language)
        return page

    def get_object(self):
        article = super().get_object()
        # The search document changes with every indexed part (key points and tags
        # included, which have no timestamps of their own).
        stamps = [article.updated_at, *(d.updated_at for d in article.digests.all())]
        if hasattr(article, "search_document"):
            stamps.append(article.search_document.updated_at)
        if self.include_transcript and hasattr(article, "transcript"):
            stamps.append(article.transcript.updated_at)
        self.last_modified = max(stamps)
        return article


@extend_schema_view(
    list=extend_schema(summary="Topics", parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(summary="One topic", parameters=[LANG_PARAMETER]),
)
class TopicViewSet(ConditionalGetMixin, LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """The topics articles are filed under, named in the requested language."""

    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends: list = []
    # A handful of topics: one page.
    pagination_class = None


class SourcePagination(CheckedCursorPagination):
    page_size = 50
    max_page_size = 200
    ordering = ("name", "id")


@extend_schema_view(
    list=extend_schema(summary="Sources, by name"),
    retrieve=extend_schema(summary="One source"),
)
class SourceViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """The podcasts, channels and feeds articles come from: the public ones (see
    SourceQuerySet.public()), with what a reader may see of them."""

    serializer_class = SourceSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends: list = []
    pagination_class = SourcePagination

    def get_queryset(self):
        return Source.objects.public().select_related("default_topic").order_by("name", "id")
