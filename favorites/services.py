"""Writes for accounts and favorites: keyword-only functions, called by thin views."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from favorites.models import Favorite, FeedToken, new_feed_token


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
