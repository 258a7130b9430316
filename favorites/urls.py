from django.urls import path

from favorites import views

urlpatterns = [
    path("favorites/", views.FavoriteListView.as_view(), name="favorite_list"),
    path("articles/<slug:slug>/favorite/", views.favorite_toggle, name="favorite_toggle"),
]
