"""How many sign-up and password-reset e-mails a client and a recipient may cause.

Two limits an hour: per client address (ACCOUNT_MAILS_PER_CLIENT_HOUR), so one client
cannot probe addresses or send mail in bulk, and per recipient
(ACCOUNT_MAILS_PER_RECIPIENT_HOUR), so nobody, from any number of addresses, can flood
one inbox. Past the client's limit the page says so (429: it is about the client, not
about any account); past the recipient's, the page answers as always and no mail goes,
as the page must not say anything about the address.

The counters live in the database (favorites.models.RateCounter), not in the cache
that django-ratelimit would use: the cache fails open when Redis is away, and Redis
may evict it, and either would lift the limits without a word.
"""

from __future__ import annotations

import enum
import logging
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from favorites import services
from newsroom.client_address import client_address, limit_address

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)


class Verdict(enum.Enum):
    SEND = "send"
    SKIP = "skip"  # answer as usual, send nothing
    REFUSE = "refuse"  # 429


def _key(value: str) -> str:
    # Keyed by an HMAC: the counters table holds no address in clear.
    return salted_hmac("favorites.accounts.limits", value, algorithm="sha256").hexdigest()


def account_mail_verdict(request: HttpRequest, *, recipient: str) -> Verdict:
    """Count one account e-mail asked by this client for `recipient`, and say what to do."""
    client = limit_address(request) or ""
    used = services.rate_counter_hit(scope="account-mail-client", key=_key(client), window=WINDOW)
    if used > settings.ACCOUNT_MAILS_PER_CLIENT_HOUR:
        logger.warning(
            "account e-mails refused to %s: %d asked this hour",
            client_address(request),
            used,
        )
        return Verdict.REFUSE
    used = services.rate_counter_hit(
        scope="account-mail-recipient", key=_key(recipient.strip().lower()), window=WINDOW
    )
    if used > settings.ACCOUNT_MAILS_PER_RECIPIENT_HOUR:
        # The recipient's address is not logged: it may be someone else's.
        logger.warning(
            "account e-mail not sent (recipient over its hourly limit), asked by %s",
            client_address(request),
        )
        return Verdict.SKIP
    return Verdict.SEND


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = render(request, "registration/too_many_requests.html", status=429)
    response["Retry-After"] = str(int(WINDOW.total_seconds()))
    return response
