"""Account pages of our own: sign-up, the account page, deleting an account. Mounted
before django.contrib.auth.urls at the same prefix, which provides login, logout,
password_change and password_reset with our templates."""

from django.urls import path

from favorites.accounts import views

urlpatterns = [
    path("", views.account, name="account"),
    path("signup/", views.signup, name="signup"),
    path("delete/", views.account_delete, name="account_delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
