"""The filters readers and API clients narrow articles with, in one FilterSet.

/search/ and /api/articles/ both use it (as `PublishedArticleFilter`), so a parameter
means the same in both: ?q=…&topic=ai&source=…&kind=video&min_score=7
&published_after=2025-01-01&published_before=2025-01-31&language=fr&tag=…&sort=score.

A value that cannot be read (an unknown topic, a date like 2025-13-45) makes the
FilterSet invalid: the API answers 400 with the reasons, pages show them. The query
itself is never invalid: see search/query.py.
"""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import DecimalField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget

from articles.models import LANGUAGE_CHOICES, Article
from ingestion.models import Source
from search.backends import search_articles
from topics.models import Topic


def given(value) -> bool:
    """Whether a filter's cleaned value narrows anything (an empty date range does not)."""
    if isinstance(value, slice):
        return value.start is not None or value.stop is not None
    return value not in (None, "", [], ())


class SearchField(forms.CharField):
    """The search box: any text is a valid query (NUL characters are dropped)."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class ArticleFilter(django_filters.FilterSet):
    SORT_RELEVANCE = "relevance"
    SORT_NEWEST = "newest"
    SORT_SCORE = "score"
    SORT_CHOICES = [
        (SORT_RELEVANCE, _("Relevance")),
        (SORT_NEWEST, _("Newest")),
        (SORT_SCORE, _("Score")),
    ]

    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"),
        queryset=Source.objects.all(),
        to_field_name="slug",
        empty_label=_("All sources"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Format"),
        choices=[("video", _("Video")), ("audio", _("Audio"))],
        method="filter_kind",
        empty_label=_("Video and audio"),
    )
    min_score = django_filters.NumberFilter(
        label=_("Minimum score"),
        field_name="score",
        lookup_expr="gte",
        min_value=0,
        max_value=10,
    )
    published = django_filters.DateFromToRangeFilter(
        label=_("Published between"),
        field_name="published_at",
        widget=DateRangeWidget(attrs={"type": "date"}),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language of the episode"),
        choices=LANGUAGE_CHOICES,
        empty_label=_("Any language"),
    )
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags__slug", max_length=100)
    # Last: the fallback for misspellings checks for matches among the filtered articles.
    q = SearchFilter(label=_("Search"), method="filter_search")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
    )

    # Whether the articles this FilterSet is given are exactly the published ones: a
    # search with no other filter then picks its window from the index alone.
    over_published = False

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "video":
            return queryset.videos()
        return queryset.exclude(pk__in=queryset.videos().values("pk"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        self.searching = True
        narrowed = any(
            given(self.form.cleaned_data.get(other))
            for other in self.filters
            if other not in {"q", "sort"}
        )
        results = search_articles(
            queryset, value, all_published=self.over_published and not narrowed
        )
        self.window_full = results.window_full
        self.window_unchecked = results.window_unchecked
        self.matched = results.matched
        return results

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, by filter_queryset()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        self.searching = False
        self.window_full = False
        self.window_unchecked = False
        self.matched = None
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or self.SORT_RELEVANCE
        if sort == self.SORT_RELEVANCE and self.searching:
            return queryset.order_by("-rank", "-published_at", "-id")
        if sort == self.SORT_SCORE:
            # A plain field, not F().desc(nulls_last=True): cursor pagination orders by
            # names it can read back from each article.
            queryset = queryset.annotate(
                sort_score=Coalesce(
                    "score",
                    Value(Decimal("-1")),
                    output_field=DecimalField(max_digits=3, decimal_places=1),
                )
            )
            return queryset.order_by("-sort_score", "-published_at", "-id")
        return queryset.order_by("-published_at", "-id")

    @property
    def query(self) -> str:
        """The search query as read (empty when there is none or the form is invalid)."""
        if not self.is_bound or not self.is_valid():
            return ""
        return self.form.cleaned_data.get("q") or ""


class PublishedArticleFilter(ArticleFilter):
    """ArticleFilter over `Article.objects.published()`, which its users must give it
    (the search page and the API do)."""

    over_published = True
