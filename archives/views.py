"""The archives: every published article by year, month and day (Django's date views)."""

from __future__ import annotations

from django.http import Http404
from django.views import generic

from articles.models import Article
from articles.views import PAGE_SIZE


class _ArchiveMixin:
    """Shared by the archive pages: published articles by date, paginated, and a 404
    for a period with nothing in it (an empty 200 would invite crawlers to every date)."""

    date_field = "published_at"
    month_format = "%m"
    paginate_by = PAGE_SIZE
    allow_empty = False
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_cards()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except OverflowError:
            # 9999-12-31 has no next day to bound the query with, and Django's day view
            # lets that escape: an impossible date is a missing page, not a crash.
            raise Http404("Date out of range")


class ArchiveIndexView(_ArchiveMixin, generic.ArchiveIndexView):
    template_name = "articles/archive_index.html"
    # The index is not a period: a new site shows an empty state, not a 404.
    allow_empty = True


class ArchiveYearView(_ArchiveMixin, generic.YearArchiveView):
    template_name = "articles/archive_year.html"
    make_object_list = True


class ArchiveMonthView(_ArchiveMixin, generic.MonthArchiveView):
    template_name = "articles/archive_month.html"


class ArchiveDayView(_ArchiveMixin, generic.DayArchiveView):
    template_name = "articles/archive_day.html"
