"""Account pages of our own: sign-up, the password-reset request, the account page,
deleting an account. Mounted before django.contrib.auth.urls at the same prefix, which
provides login, logout, password_change and the rest of password_reset with our
templates (our password_reset comes first, so it is the one used)."""

from django.urls import path

from favorites.accounts import views

urlpatterns = [
    path("", views.account, name="account"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("signup/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("delete/", views.account_delete, name="account_delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
