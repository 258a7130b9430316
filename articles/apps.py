from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self) -> None:
        # The content events' model adapters and the page cache's subscriptions,
        # connected in every process that writes (web, workers, commands), not only
        # where the cache's middleware loads.
        from articles import cached_pages, events

        events._connect()
        cached_pages.subscribe()
