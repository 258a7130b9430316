"""Account pages of our own. Mounted before django.contrib.auth.urls at the same prefix,
which provides login, logout, password_change and password_reset with our templates."""

from django.urls import path

from favorites.accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
]
