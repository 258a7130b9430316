"""Reader URLs for articles, mounted under i18n_patterns (English at /, French at /fr/)."""

from django.urls import path

from articles import desk, feeds, views

urlpatterns = [
    path("", views.TodayView.as_view(), name="today"),
    path("videos/", views.VideoListView.as_view(), name="videos"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    # The editor's desk on the article page (articles/desk.py): POST only, editors only.
    path(
        "articles/<slug:slug>/desk/publish/",
        desk.ArticleDeskActionView.as_view(action="publish"),
        name="article_desk_publish",
    ),
    path(
        "articles/<slug:slug>/desk/send-back/",
        desk.ArticleDeskActionView.as_view(action="send_back"),
        name="article_desk_send_back",
    ),
    path(
        "articles/<slug:slug>/desk/regenerate/",
        desk.ArticleDeskActionView.as_view(action="regenerate"),
        name="article_desk_regenerate",
    ),
    path(
        "articles/<slug:slug>/transcript.vtt",
        views.TranscriptVttView.as_view(),
        name="article_transcript_vtt",
    ),
    path(
        "articles/<slug:slug>/transcript.srt",
        views.TranscriptSrtView.as_view(),
        name="article_transcript_srt",
    ),
    path("archives/", views.ArchiveIndexView.as_view(), name="archive_index"),
    path("archives/<int:year>/", views.ArchiveYearView.as_view(), name="archive_year"),
    path(
        "archives/<int:year>/<int:month>/", views.ArchiveMonthView.as_view(), name="archive_month"
    ),
    path(
        "archives/<int:year>/<int:month>/<int:day>/",
        views.ArchiveDayView.as_view(),
        name="archive_day",
    ),
    # Feeds follow the page's language: /fr/feeds/latest.rss carries the French digests.
    path("feeds/latest.rss", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/latest.atom", feeds.LatestArticlesAtomFeed(), name="feed_latest_atom"),
]
