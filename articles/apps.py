from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self) -> None:
        # The page cache's invalidation receivers must be connected in every process
        # that writes (web, workers, commands), not only where its middleware loads.
        from newsroom import pagecache  # noqa: F401
