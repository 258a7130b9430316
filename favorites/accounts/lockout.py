"""Sign-in lock-outs that an attacker cannot turn on someone else.

django-axes counts failed sign-ins (the form, the account deletion form and HTTP Basic
on the API all go through authenticate()) in its database table. Two limits apply,
both for the client's real address (newsroom.client_address, AXES_CLIENT_IP_CALLABLE):

- AXES_FAILURE_LIMIT failures for one (account, address) pair pause that account's
  sign-ins from that address only: a guesser elsewhere cannot lock the owner out.
- AXES_ADDRESS_FAILURE_LIMIT failures from one address across all accounts (password
  spraying: one or two guesses at many accounts) pause every sign-in from that address.

Neither depends on whether the account exists: axes records failures for any user
name, and the locked-out page says the same words for all.

A lock-out only refuses authenticate(): a reader already signed in keeps their session
(the pages and the API read it without a password), so no number of failed Basic
logins on the API can sign a browser out.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    """axes' database handler, plus the per-address limit across accounts.

    axes compares one number, get_failures(), with AXES_FAILURE_LIMIT; its lock-out
    parameters can name several keys but give them all the same limit. A per-address
    limit as low as the per-account one would let one reader's typos lock a whole
    office out, so the address's own (higher) limit is checked here and, when it is
    reached, reported as the account limit reached.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair_failures = super().get_failures(request, credentials)
        address_failures = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if address_failures >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(pair_failures, get_failure_limit(request, credentials))
        return pair_failures
