"""/search/: the reader's search page (thin: the FilterSet filters, the backend searches)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.views import generic

from articles.models import Article
from newsroom import pagecache
from search.backends import add_snippets
from search.filters import ArticleFilter, PublishedArticleFilter, given

PAGE_SIZE = 20


class SearchView(generic.ListView):
    template_name = "search/search.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        # Unbound without parameters: the page then shows the search box and no list.
        self.filterset = PublishedArticleFilter(
            self.request.GET or None,
            queryset=Article.objects.published().for_cards(),
            request=self.request,
        )
        if not self.filterset.is_bound or not self.filterset.is_valid():
            return Article.objects.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.filterset.query
        if query:
            add_snippets(context["object_list"], query, language=(get_language() or "en")[:2])
        context.update(
            filter=self.filterset,
            query=query,
            searched=self.filterset.is_bound and self.filterset.is_valid(),
            window_full=getattr(self.filterset, "window_full", False),
            window_unchecked=getattr(self.filterset, "window_unchecked", False),
            filter_fields_key=self.filter_fields_key(),
        )
        return context

    def filter_fields_key(self) -> str:
        """A cache key for the filter fields' HTML when no filter is set, else "".

        Those fields (selects of every topic and source) are the same for any query and
        cost more to render than the search itself; they are kept until a page changes
        (a topic or source renamed, added or removed bumps the pages' version). With a
        filter set they show its value and are rendered: any text could be a value,
        and the cache must not grow with what visitors type.
        """
        form = self.filterset.form
        # Without the page cache (no Redis) each process has its own memory cache,
        # which would not hear of a renamed source written by another.
        if not pagecache.enabled() or not self.filterset.is_bound or form.errors:
            return ""
        values = {name: value for name, value in form.cleaned_data.items() if name != "q"}
        sort = values.pop("sort", "") or ArticleFilter.SORT_RELEVANCE
        if any(given(value) for value in values.values()):
            return ""
        language = get_language() or settings.LANGUAGE_CODE
        return f"{language}:{sort}:{pagecache.current_version()}"

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        matched = getattr(self.filterset, "matched", None)
        if matched is not None:
            # The search counted its window already: no COUNT query for the same rows.
            paginator.count = matched
        return paginator

    def render_to_response(self, context, **response_kwargs):
        # A filter value that cannot be read (an unknown topic, a date like 2025-13-45)
        # is the client's mistake: the page explains it, with a 400.
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


search = SearchView.as_view()
