"""Sign-in lock-outs cannot be turned on someone else.

Finding (issue 16, 4): five bad passwords for an account from one address locked the
right password out from that address; behind the README's proxy every client shares
the proxy's address, so anyone could lock any account for 15 minutes. HTTP Basic
failures on the API counted too.

Now: the lock is on (account, the client's real address); an address that fails on
many accounts (password spraying) is paused as a whole; the locked-out page is the same
for existing and unknown accounts; Basic failures count towards the same limits but a
signed-in browser keeps its session. Through the real views and django-axes' database
handler; REMOTE_ADDR is the socket's address.
"""

from __future__ import annotations

import base64
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.readers import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "198.51.100.66"
VICTIM = "203.0.113.10"


def sign_in(client: Client, password: str, username: str = "reader", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def basic(password: str, username: str = "reader") -> dict:
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}", "HTTP_ACCEPT": "application/json"}


def fail(client: Client, times: int, username: str = "reader", **headers) -> list[int]:
    return [
        sign_in(client, f"guess-{n}", username=username, **headers).status_code
        for n in range(times)
    ]


# --- finding 4: the victim is not locked out -------------------------------------------------


def test_behind_the_proxy_a_guesser_locks_only_himself(settings, reader):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR=PROXY)
    statuses = fail(proxy, settings.AXES_FAILURE_LIMIT, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert statuses[-1] == 429
    # The guesser, even with the right password, and even writing the victim's address in
    # front of what the proxy appends, stays locked.
    assert sign_in(proxy, PASSWORD, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    spoofed = f"{VICTIM}, {ATTACKER}"
    assert sign_in(proxy, PASSWORD, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429

    # The owner, through the same proxy from their own address, signs in.
    owner = Client(REMOTE_ADDR=PROXY)
    response = sign_in(owner, PASSWORD, HTTP_X_FORWARDED_FOR=VICTIM)
    assert response.status_code == 302
    assert owner.session.get("_auth_user_id") == str(reader.pk)


def test_without_a_proxy_a_guesser_elsewhere_cannot_lock_the_owner_out(reader):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    assert fail(attacker, settings.AXES_FAILURE_LIMIT)[-1] == 429
    owner = Client(REMOTE_ADDR=VICTIM)
    assert sign_in(owner, PASSWORD).status_code == 302


def test_the_owners_own_failures_still_lock_their_address(reader):
    owner = Client(REMOTE_ADDR=VICTIM)
    statuses = fail(owner, settings.AXES_FAILURE_LIMIT)
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert sign_in(owner, PASSWORD).status_code == 429


# --- password spraying ----------------------------------------------------------------------


def test_an_address_failing_on_many_accounts_is_paused_for_all(settings, reader, other_reader):
    sprayer = Client(REMOTE_ADDR=ATTACKER)
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    # One guess at each of many accounts, known or not: no single account reaches its limit.
    names = ["other"] + [f"user{n}" for n in range(limit - 2)]
    assert all(status == 200 for name in names for status in fail(sprayer, 1, username=name))
    # Below the address's limit the right password still works from there...
    assert sign_in(Client(REMOTE_ADDR=ATTACKER), PASSWORD).status_code == 302
    # ...one more failure reaches it, and every account is paused from that address.
    assert fail(sprayer, 1, username="somebody")[-1] == 429
    assert sign_in(Client(REMOTE_ADDR=ATTACKER), PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR=ATTACKER), PASSWORD, username="other").status_code == 429
    # Elsewhere nobody notices.
    assert sign_in(Client(REMOTE_ADDR=VICTIM), PASSWORD).status_code == 302
    assert sign_in(Client(REMOTE_ADDR=VICTIM), PASSWORD, username="other").status_code == 302


def test_a_success_does_not_clear_the_addresss_failures_on_other_accounts(settings, reader):
    # A sprayer who owns one account cannot sign in to it now and then to start over.
    sprayer = Client(REMOTE_ADDR=ATTACKER)
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):
        fail(sprayer, 1, username=f"user{n}")
    assert sign_in(Client(REMOTE_ADDR=ATTACKER), PASSWORD).status_code == 302
    assert fail(sprayer, 1, username="one-more")[-1] == 429


# --- the same page for every account ---------------------------------------------------------


def page_text(response) -> str:
    # The CSRF token differs on every page; nothing else may.
    return re.sub(r'value="[^"]{32,}"', 'value=""', response.content.decode())


def test_the_locked_out_page_is_the_same_for_existing_and_unknown_accounts(reader):
    known = fail(Client(REMOTE_ADDR="198.51.100.1"), settings.AXES_FAILURE_LIMIT)
    unknown = fail(
        Client(REMOTE_ADDR="198.51.100.2"), settings.AXES_FAILURE_LIMIT, username="nobody"
    )
    assert known == unknown
    locked_known = sign_in(Client(REMOTE_ADDR="198.51.100.1"), PASSWORD)
    locked_unknown = sign_in(Client(REMOTE_ADDR="198.51.100.2"), PASSWORD, username="nobody")
    assert locked_known.status_code == locked_unknown.status_code == 429
    assert page_text(locked_known) == page_text(locked_unknown)
    assert "Too many sign-in attempts" in page_text(locked_known)
    # And before the lock: a wrong password and an unknown name read the same.
    wrong = sign_in(Client(REMOTE_ADDR="198.51.100.3"), "nope")
    nobody = sign_in(Client(REMOTE_ADDR="198.51.100.4"), "nope", username="nobody")
    assert wrong.status_code == nobody.status_code == 200
    assert page_text(wrong).replace('value="reader"', "") == page_text(nobody).replace(
        'value="nobody"', ""
    )


# --- HTTP Basic on the API -------------------------------------------------------------------


def test_basic_failures_count_towards_the_same_limit(reader):
    client = Client(REMOTE_ADDR=ATTACKER)
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, limit - 2)
    for n in range(2):
        assert client.get("/api/favorites/", **basic(f"api-guess-{n}")).status_code in (401, 403)
    # Form and API failures add up: the limit is reached, for both ways in.
    assert sign_in(client, PASSWORD).status_code == 429
    assert client.get("/api/favorites/", **basic(PASSWORD)).status_code in (401, 403, 429)


def test_basic_failures_lock_neither_another_address_nor_a_signed_in_browser(reader, other_reader):
    # The owner's browser is signed in, from the same address the guesses come from.
    browser = Client(REMOTE_ADDR=ATTACKER)
    assert sign_in(browser, PASSWORD).status_code == 302
    script = Client(REMOTE_ADDR=ATTACKER)
    for n in range(settings.AXES_FAILURE_LIMIT + 3):
        script.get("/api/favorites/", **basic(f"api-guess-{n}"))
    assert script.get("/api/favorites/", **basic(PASSWORD)).status_code in (401, 403, 429)

    # The session needs no password: the browser keeps its pages and its API.
    assert browser.get(reverse("favorite_list")).status_code == 200
    api = browser.get("/api/favorites/", HTTP_ACCEPT="application/json")
    assert api.status_code == 200 and api.json()["results"] == []
    # A browser elsewhere signs in as usual.
    assert sign_in(Client(REMOTE_ADDR=VICTIM), PASSWORD).status_code == 302
    # Basic spraying counts towards the address's limit too.
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        script.get("/api/favorites/", **basic("guess", username=f"user{n}"))
    other = sign_in(Client(REMOTE_ADDR=ATTACKER), PASSWORD, username="other")
    assert other.status_code == 429
