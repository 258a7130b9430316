"""The date archives, mounted under i18n_patterns like every reader page."""

from django.urls import path

from archives import views

urlpatterns = [
    path("", views.ArchiveIndexView.as_view(), name="archive_index"),
    path("<int:year>/", views.ArchiveYearView.as_view(), name="archive_year"),
    path("<int:year>/<int:month>/", views.ArchiveMonthView.as_view(), name="archive_month"),
    path(
        "<int:year>/<int:month>/<int:day>/",
        views.ArchiveDayView.as_view(),
        name="archive_day",
    ),
]
