"""Sign-up (confirmed by e-mail), the password-reset request, the account page and
deleting an account. Sign-in, sign-out, password change and the rest of the reset are
Django's own views.

Sign-up and the reset request answer the same way whatever the address: the mail is
sent by a task once the request's transaction commits (favorites/tasks.py), and the
task decides what to say to whom.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from favorites import services, tasks
from favorites.accounts.forms import AccountDeleteForm, SignupForm
from favorites.accounts.limits import Verdict, account_mail_verdict, too_many_requests
from favorites.models import Favorite, SignupRequest
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
        verdict = account_mail_verdict(request, recipient=form.cleaned_data["email"])
        if verdict is Verdict.REFUSE:
            return too_many_requests(request)
        # Recorded even when no mail will go, so that the work, and the time it takes,
        # is the same in every case.
        signup_request = services.signup_request_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            # A next= longer than the column is dropped rather than cut: cut, it would
            # be another address.
            next_url=next_url if next_url and len(next_url) <= 2000 else "",
            language=translation.get_language(),
        )
        if verdict is Verdict.SEND:
            transaction.on_commit(lambda: tasks.send_signup_mail.delay(signup_request.pk))
        return redirect("signup_sent")

    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": next_url or ""},
    )


@require_http_methods(["GET", "HEAD"])
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link. GET only asks for a click: mail scanners open links, and opening
    one must not create an account. POST creates it and signs the reader in."""
    signup_request = SignupRequest.objects.pending().for_token(token).first()
    if signup_request is None:
        return render(request, "registration/signup_confirm.html", {"valid": False}, status=404)
    if request.method != "POST":
        return render(
            request,
            "registration/signup_confirm.html",
            {"valid": True, "username": signup_request.username},
        )
    user = services.signup_request_confirm(signup_request=signup_request)
    if user is None:
        return render(request, "registration/signup_confirm.html", {"taken": True}, status=409)
    login(request, user, backend=MODEL_BACKEND)
    return redirect(
        safe_next_url(request, signup_request.next_url) or resolve_url(settings.LOGIN_REDIRECT_URL)
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, with the mail sent by a task after the answer, and the
    account e-mail limits."""

    def form_valid(self, form) -> HttpResponse:
        email = form.cleaned_data["email"]
        verdict = account_mail_verdict(self.request, recipient=email)
        if verdict is Verdict.REFUSE:
            return too_many_requests(self.request)
        if verdict is Verdict.SEND:
            language = translation.get_language()
            transaction.on_commit(lambda: tasks.send_password_reset_mail.delay(email, language))
        return HttpResponseRedirect(self.get_success_url())


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
