from django.urls import path

from favorites import views
from favorites.feeds import FavoriteFeed

urlpatterns = [
    path("favorites/", views.FavoriteListView.as_view(), name="favorite_list"),
    path("favorites/export.json", views.export_json, name="favorite_export_json"),
    path("favorites/export.csv", views.export_csv, name="favorite_export_csv"),
    path("favorites/feed/regenerate/", views.feed_regenerate, name="favorite_feed_regenerate"),
    path("favorites/feed/revoke/", views.feed_revoke, name="favorite_feed_revoke"),
    # The token is the only credential of this URL (feed readers cannot sign in).
    path("favorites/feed/<slug:token>.rss", FavoriteFeed(), name="favorite_feed"),
    path("articles/<slug:slug>/favorite/", views.favorite_toggle, name="favorite_toggle"),
]
