"""The date archives: every published article by year, month and day."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = _("Archives")

    def ready(self) -> None:
        from newsroom import pagecache

        # The archives as an anonymous reader sees them, kept until a change.
        pagecache.register_pages("archive_index", "archive_year", "archive_month", "archive_day")
