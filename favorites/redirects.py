"""Where to send a reader back to: only ever a page of this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, url: str | None) -> str | None:
    """`url` if it points at this site, else None.

    A `next=` taken from the query string is attacker-controlled: redirecting to
    it blindly would turn our sign-in page into an open redirect for phishing.
    This is the check Django's LoginView makes, so both agree on what is safe.
    """
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None
