from django.urls import path

from articles.feeds import TopicArticlesAtomFeed, TopicArticlesFeed
from topics import views

urlpatterns = [
    path("", views.TopicListView.as_view(), name="topic_list"),
    path("<slug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
    path("<slug:slug>/feed.rss", TopicArticlesFeed(), name="topic_feed"),
    path("<slug:slug>/feed.atom", TopicArticlesAtomFeed(), name="topic_feed_atom"),
]
