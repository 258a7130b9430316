"""/search/: the reader's search page (thin: the FilterSet filters, the backend searches)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.views import generic

from articles.filters import ArticleFilter
from articles.models import Article
from articles.search.backends import add_snippets

PAGE_SIZE = 20


class SearchView(generic.ListView):
    template_name = "search/search.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        # Unbound without parameters: the page then shows the search box and no list.
        self.filterset = ArticleFilter(
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
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        # A filter value that cannot be read (an unknown topic, a date like 2025-13-45)
        # is the client's mistake: the page explains it, with a 400.
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


search = SearchView.as_view()
