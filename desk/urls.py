"""The editor's desk on the article page (desk/desk.py): POST only, editors only."""

from django.urls import path

from desk import desk

urlpatterns = [
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
]
