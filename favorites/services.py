"""Writes for accounts and favorites: keyword-only functions, called by thin views."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from favorites.models import (
    Favorite,
    FeedToken,
    RateCounter,
    SignupRequest,
    new_feed_token,
    signup_token_hash,
)


def account_create(*, username: str, email: str, password: str) -> AbstractBaseUser:
    """A new reader account; the caller has validated the password with Django's validators."""
    # create_user normalises the e-mail and stores only the password's hash.
    return get_user_model().objects.create_user(username=username, email=email, password=password)


def favorite_add(*, user: AbstractBaseUser, article: Article) -> Favorite:
    """Save `article` for `user`. Idempotent: saving twice keeps one row."""
    # get_or_create relies on the (user, article) unique constraint: when two requests race,
    # the loser's INSERT fails and it reads the winner's row instead of raising.
    favorite, _created = Favorite.objects.get_or_create(user=user, article=article)
    return favorite


def favorite_remove(*, user: AbstractBaseUser, article: Article) -> bool:
    """Forget `article` for `user`. Idempotent: removing an absent favorite is not an error.

    Returns whether a row was deleted.
    """
    deleted, _per_model = Favorite.objects.filter(user=user, article=article).delete()
    return deleted > 0


def feed_token_create(*, user: AbstractBaseUser) -> FeedToken:
    """The reader's private feed token, created if they have none yet."""
    token, _created = FeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def feed_token_regenerate(*, user: AbstractBaseUser) -> FeedToken:
    """Give the reader a new feed URL; the old one stops working at once."""
    token, created = FeedToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = new_feed_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token


def feed_token_revoke(*, user: AbstractBaseUser) -> bool:
    """Turn the private feed off: its URL answers 404 from now on."""
    deleted, _per_model = FeedToken.objects.filter(user=user).delete()
    return deleted > 0


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> None:
    """Delete a reader's account and everything that is theirs: favorites and the
    private feed go with it (their foreign keys cascade), so its address stops at once."""
    user.delete()


# --- Sign-up by e-mail -----------------------------------------------------------------


def signup_request_create(
    *, username: str, email: str, password: str, next_url: str, language: str
) -> SignupRequest:
    """Record a sign-up to confirm by e-mail. Does the same work whether or not the name
    or the address is taken (that is decided later, by signup_request_mail, off the
    request), so neither the answer nor its timing says who has an account."""
    SignupRequest.objects.expired().delete()
    return SignupRequest.objects.create(
        username=username,
        email=email,
        password=make_password(password),
        next_url=next_url,
        language=language,
    )


def _site_url(path: str) -> str:
    # SITE_URL, not the request's Host: mails are sent off the request, and a link in a
    # mail must never point wherever a forged Host header said.
    return settings.SITE_URL + path


def _send(*, template: str, to: str, context: dict) -> None:
    context = {"site_name": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_email.txt", context)
    send_mail(subject, body, None, [to])


def signup_request_mail(*, signup_request_id: int) -> None:
    """Send the one mail a sign-up request calls for, in the reader's language:

    - the address already has an account: tell its owner (their user name, how to sign
      in or reset the password), and drop the request;
    - the user name is taken: tell the address to choose another, and drop the request;
    - else: the link that creates the account.
    """
    signup_request = SignupRequest.objects.pending().filter(pk=signup_request_id).first()
    if signup_request is None:
        return
    users = get_user_model().objects
    with translation.override(signup_request.language):
        owner = users.filter(email__iexact=signup_request.email).first()
        if owner is not None:
            signup_request.delete()
            _send(
                template="registration/signup_existing",
                to=signup_request.email,
                context={
                    "username": owner.get_username(),
                    "login_url": _site_url(reverse("login")),
                    "reset_url": _site_url(reverse("password_reset")),
                },
            )
            return
        if users.filter(username__iexact=signup_request.username).exists():
            signup_request.delete()
            _send(
                template="registration/signup_username_taken",
                to=signup_request.email,
                context={
                    "username": signup_request.username,
                    "signup_url": _site_url(reverse("signup")),
                },
            )
            return
        token = secrets.token_urlsafe(32)
        signup_request.token_hash = signup_token_hash(token)
        signup_request.save(update_fields=["token_hash"])
        _send(
            template="registration/signup_confirm",
            to=signup_request.email,
            context={
                "username": signup_request.username,
                "confirm_url": _site_url(reverse("signup_confirm", kwargs={"token": token})),
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            },
        )


@transaction.atomic
def signup_request_confirm(*, signup_request: SignupRequest) -> AbstractBaseUser | None:
    """Create the account a confirmed request asked for, and use the request up.

    None when the name or the address got an account meanwhile (only the holder of the
    link learns it), or when the request was used already.
    """
    locked = SignupRequest.objects.select_for_update().filter(pk=signup_request.pk).first()
    if locked is None:
        return None
    locked.delete()
    users = get_user_model().objects
    if (
        users.filter(email__iexact=locked.email).exists()
        or users.filter(username__iexact=locked.username).exists()
    ):
        return None
    user = get_user_model()(username=locked.username, email=users.normalize_email(locked.email))
    user.password = locked.password  # hashed when the request was made
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name, confirmed at the same moment by another link
        return None
    return user


def password_reset_mail_send(*, email: str, language: str) -> None:
    """Mail the password-reset link to the account that uses `email`, if there is one.

    Run on a worker, after the page has answered: the answer, and how long it takes,
    must not depend on whether an account uses the address.
    """
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    with translation.override(language):
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            extra_email_context={"site_name": settings.SITE_NAME},
        )


# --- Rate limits -----------------------------------------------------------------------


def rate_counter_hit(*, scope: str, key: str, window: timedelta) -> int:
    """Count one use of `scope` by `key` in the current fixed window of length `window`,
    and return the uses so far in it, this one included.

    The increment is atomic (a row lock, an UPDATE of count + 1), so concurrent
    requests cannot all read the same count and all pass.
    """
    seconds = int(window.total_seconds())
    now = int(timezone.now().timestamp())
    window_start = datetime.fromtimestamp(now - now % seconds, tz=UTC)
    with transaction.atomic():
        counter, created = RateCounter.objects.select_for_update().get_or_create(
            scope=scope, key=key, window_start=window_start, defaults={"count": 1}
        )
        if not created:
            RateCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
            counter.refresh_from_db(fields=["count"])
    if created:
        # A new window opened: the earlier ones of this scope count no more.
        RateCounter.objects.filter(scope=scope, window_start__lt=window_start).delete()
    return counter.count
