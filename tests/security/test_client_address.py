"""The client's address is the socket's, or, only behind the operator's proxies
(TRUSTED_PROXY_COUNT), the address that many hops back in X-Forwarded-For; the API
throttle, django-axes, the account limits and the logs all count by it.

Finding (issue 16, 1): after an address got 429, `GET /api/topics/` with
`X-Forwarded-For: 198.51.100.$i` for i = 0…129 returned 130 × 200.

Through the real URLconf and middleware with Django's test client; REMOTE_ADDR is
what the socket would say (the proxy's address, when there is one).
"""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from newsroom.client_address import client_address, limit_address
from tests.readers import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the README's TLS proxy, as the socket sees it


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})


def topics(client: Client, **headers):
    return client.get("/api/topics/", HTTP_ACCEPT="application/json", **headers)


def exhaust(client: Client, **headers) -> None:
    statuses = [topics(client, **headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# --- finding 1: the throttle ---------------------------------------------------------------


def test_a_spoofed_forwarded_for_does_not_escape_the_throttle(three_a_minute, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default: no proxy, the header is ignored
    client = Client(REMOTE_ADDR="203.0.113.50")
    exhaust(client)
    statuses = [
        topics(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(130)
    ]
    assert statuses == [429] * 130
    # Another client is not affected: it is a limit per client, not for everyone.
    assert topics(Client(REMOTE_ADDR="203.0.113.51")).status_code == 200


def test_behind_one_proxy_the_throttle_counts_the_hop_the_proxy_added(three_a_minute, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # Every request comes from the proxy's socket; the proxy appends the client's address.
    proxy = Client(REMOTE_ADDR=PROXY)
    exhaust(proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    # The same client, writing whatever it likes in front of what the proxy appends.
    for i in range(130):
        spoofed = f"198.51.100.{i}, 203.0.113.7"
        assert topics(proxy, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    # Another client behind the same proxy has its own count.
    assert topics(proxy, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200
    assert topics(proxy, HTTP_X_FORWARDED_FOR="203.0.113.7, 203.0.113.8").status_code == 200


def test_behind_two_proxies_the_second_hop_from_the_right_is_the_client(three_a_minute, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    proxy = Client(REMOTE_ADDR=PROXY)
    # client 203.0.113.7 -> CDN (appends it) -> our proxy 10.0.0.1 (appends the CDN's) -> us
    exhaust(proxy, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    assert topics(proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.0.0.1").status_code == 429
    assert topics(proxy, HTTP_X_FORWARDED_FOR="203.0.113.8, 10.0.0.1").status_code == 200


def test_an_ipv6_client_cannot_step_through_its_own_block(three_a_minute):
    # One subscriber gets a /64: 2**64 addresses to choose from.
    exhaust(Client(REMOTE_ADDR="2001:db8:1:2::1"))
    for address in ("2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::abcd:1"):
        assert topics(Client(REMOTE_ADDR=address)).status_code == 429
    assert topics(Client(REMOTE_ADDR="2001:db8:1:3::1")).status_code == 200


# --- what counts as the address ------------------------------------------------------------


def request_with(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # no proxy: the header is ignored
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6,198.51.100.1", "198.51.100.1"),
        (2, PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        # Shorter than the proxy chain: it did not come through our proxies, or one of them
        # is misconfigured; what is there is the client's writing.
        (2, "203.0.113.5", "6.6.6.6", "203.0.113.5"),
        (1, "203.0.113.5", None, "203.0.113.5"),
        (1, PROXY, "", PROXY),
        (1, PROXY, "6.6.6.6, not-an-address", PROXY),
        (1, PROXY, "6.6.6.6, ", PROXY),
        # Ports some proxies append, and an IPv4 client seen over IPv6.
        (1, PROXY, "198.51.100.1:4711", "198.51.100.1"),
        (1, PROXY, "[2001:db8::7]:4711", "2001:db8::7"),
        (1, PROXY, "2001:DB8:0::7", "2001:db8::7"),
        (0, "::ffff:198.51.100.1", None, "198.51.100.1"),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_with(remote, forwarded)) == expected


def test_limits_count_ipv6_by_its_64_and_ipv4_by_the_address():
    assert limit_address(request_with("2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::"
    assert limit_address(request_with("198.51.100.9")) == "198.51.100.9"
    assert limit_address(request_with("")) is None


def test_a_request_without_an_address_is_still_served_and_limited(reader, three_a_minute):
    # A Unix socket with no proxy gives no REMOTE_ADDR: sign-in and the API still answer
    # (PostgreSQL's inet column would refuse an empty address), and the throttle holds.
    nowhere = Client(REMOTE_ADDR="")
    assert sign_in_status(nowhere, "wrong") == 200
    assert sign_in_status(nowhere, PASSWORD) == 302
    exhaust(Client(REMOTE_ADDR=""))


def sign_in_status(client: Client, password: str) -> int:
    return client.post(reverse("login"), {"username": "reader", "password": password}).status_code


# --- the same address in django-axes and in the logs ---------------------------------------


def test_sign_in_failures_are_recorded_and_logged_under_the_real_client(settings, reader, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.WARNING, logger="axes")
    Client(REMOTE_ADDR=PROXY).post(
        reverse("login"),
        {"username": "reader", "password": "wrong-" + PASSWORD},
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.23"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "198.51.100.23" in logged
    assert "6.6.6.6" not in logged and PROXY not in logged


def test_account_mail_limits_log_the_real_client(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_MAILS_PER_CLIENT_HOUR = 1
    caplog.set_level(logging.WARNING, logger="favorites.accounts.limits")
    proxy = Client(REMOTE_ADDR=PROXY)
    for n in range(2):
        response = proxy.post(
            reverse("password_reset"),
            {"email": f"someone{n}@example.org"},
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 198.51.100.24",
        )
    assert response.status_code == 429
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "198.51.100.24" in logged and "6.6.6." not in logged
