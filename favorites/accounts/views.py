"""Sign-up, the account page and deleting an account. Sign-in, sign-out, password change
and reset are Django's own views."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from favorites import services
from favorites.accounts.forms import AccountDeleteForm, SignupForm
from favorites.models import Favorite
from favorites.redirects import safe_next_url
from favorites.views import private_feed_context

# The new reader is signed in without a password check, so the backend is named
# explicitly (there are two: django-axes' and Django's own).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(
        request,
        request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME),
    )
    if request.user.is_authenticated:
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))

    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.account_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend=MODEL_BACKEND)
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))

    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": next_url or ""},
    )


def _can_delete(user) -> bool:
    # Editors and administrators are people the site relies on: their accounts are
    # closed in the admin, by another administrator, never by one click of their own.
    return not (user.is_staff or user.is_superuser)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def account(request: HttpRequest) -> HttpResponse:
    """The reader's corner: e-mail, password, favorites, private feed, exports, and the
    way out. Everything here is done by the pages and forms it links to."""
    return render(
        request,
        "registration/account.html",
        {
            "favorite_count": Favorite.objects.for_user(request.user).published().count(),
            "feed_next": reverse("account") + "#private-feed",
            "can_delete": _can_delete(request.user),
            **private_feed_context(request),
        },
    )


@sensitive_post_parameters("password")
@csrf_protect
@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    if not _can_delete(request.user):
        return render(request, "registration/account_delete.html", {"form": None}, status=403)
    form = AccountDeleteForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        return redirect("account_deleted")
    return render(request, "registration/account_delete.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/account_deleted.html")
