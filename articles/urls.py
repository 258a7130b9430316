from django.urls import path

from articles import views

urlpatterns = [
    path("", views.TodayView.as_view(), name="today"),
    path("videos/", views.VideoListView.as_view(), name="videos"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
]
