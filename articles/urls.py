"""Reader URLs for articles, mounted under i18n_patterns (English at /, French at /fr/)."""

from django.urls import path

from articles import feeds, topic_pages, views

urlpatterns = [
    path("", views.TodayView.as_view(), name="today"),
    path("videos/", views.VideoListView.as_view(), name="videos"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
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
    # Feeds follow the page's language: /fr/feeds/latest.rss carries the French digests.
    path("feeds/latest.rss", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/latest.atom", feeds.LatestArticlesAtomFeed(), name="feed_latest_atom"),
    # Topic pages: the topics app holds the vocabulary; the pages list articles.
    path("topics/", topic_pages.TopicListView.as_view(), name="topic_list"),
    path("topics/<slug:slug>/", topic_pages.TopicDetailView.as_view(), name="topic_detail"),
    path("topics/<slug:slug>/feed.rss", feeds.TopicArticlesFeed(), name="topic_feed"),
    path("topics/<slug:slug>/feed.atom", feeds.TopicArticlesAtomFeed(), name="topic_feed_atom"),
]
