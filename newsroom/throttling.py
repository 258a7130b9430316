"""The API's throttle for anonymous clients, counted by the client's real address."""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle

from newsroom.client_address import limit_address


class ClientAddressAnonRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, but keyed by newsroom.client_address: DRF's own
    get_ident trusts the whole X-Forwarded-For header unless NUM_PROXIES is set, so a
    client could claim a new address with every request and never be throttled."""

    def get_ident(self, request) -> str:
        return limit_address(request) or ""
