"""The search index of articles, its backends and the search page."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from newsroom import pagecache

        # Searches repeat (a tag's link on every article page is one), and a common
        # one costs 40 ms of work: its page is kept like the others, until a change.
        pagecache.register_pages("search", second_ask=True)
        # The index subscribes to the articles' content event (articles/events.py).
        from articles.events import article_content_changed
        from search.index import on_article_content_changed

        article_content_changed.connect(on_article_content_changed, dispatch_uid="search")
