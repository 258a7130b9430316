"""Sign-up and password reset tell nobody which accounts exist, and cannot be used to
flood an inbox or probe addresses in bulk.

Finding (issue 16, 5, accounts): sign-up said which e-mail addresses and user names
exist; sign-up and password reset had no rate limit (15 reset mails in a row were
sent).

Now both pages answer the same way for every address (same status, same redirect,
same page), the mail that says more goes to the address's owner only, and it is sent
by a task after the answer, so the answer does the same work either way. Limits per
client address and per recipient, counted in the database. Through the real views;
the tasks run in-process when the request's transaction commits
(django_capture_on_commit_callbacks), as they do with Celery eager.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from favorites.models import SignupRequest
from tests.accounts import confirm_link, mail_tasks_in_process, mails_to, signup_data  # noqa: F401
from tests.readers import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_tasks_in_process")]


def page_text(response) -> str:
    # The CSRF token differs on every page; nothing else may.
    return re.sub(r'value="[^"]{32,}"', 'value=""', response.content.decode())


def answer(client: Client, url: str, data: dict, capture) -> tuple:
    """Everything the asker sees: status, where it goes, cookies, the page it lands on,
    and what the request queued (the callbacks run afterwards, as a worker would)."""
    with capture(execute=False) as queued:
        response = client.post(url, data)
    seen = (
        response.status_code,
        response.get("Location"),
        sorted(response.cookies),
        page_text(client.get(response["Location"])) if response.get("Location") else None,
        client.session.get("_auth_user_id"),
    )
    return seen, queued


def run(callbacks) -> None:
    for callback in callbacks:
        callback()


# --- sign-up -------------------------------------------------------------------------------


def test_signup_answers_the_same_for_a_taken_and_a_free_address(
    reader, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    taken, taken_queue = answer(
        Client(), reverse("signup"), signup_data(email="Reader@Example.org"), capture
    )
    free, free_queue = answer(
        Client(),
        reverse("signup"),
        signup_data(username="fresh", email="fresh@example.org"),
        capture,
    )
    assert taken == free
    assert taken[0] == 302 and taken[4] is None  # nobody is signed in by the page
    # The same work was done for both: a mail queued, nothing sent yet.
    assert len(taken_queue) == len(free_queue) == 1
    assert mail.outbox == []

    run(taken_queue + free_queue)
    # The owner of the taken address hears about it; no second account exists.
    [to_owner] = mails_to("Reader@Example.org")
    assert "already has one" in " ".join(to_owner.body.split())
    assert get_user_model().objects.filter(email__iexact="reader@example.org").count() == 1
    # The free address gets the link that creates its account.
    assert confirm_link(mails_to("fresh@example.org")[0])


def test_signup_answers_the_same_for_a_taken_and_a_free_user_name(
    reader, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    taken, taken_queue = answer(
        Client(),
        reverse("signup"),
        signup_data(username="READER", email="a@example.org"),
        capture,
    )
    free, free_queue = answer(
        Client(),
        reverse("signup"),
        signup_data(username="fresh", email="b@example.org"),
        capture,
    )
    assert taken == free
    run(taken_queue + free_queue)
    # Only the holder of the address learns that the name is taken.
    assert "That user name is taken" in " ".join(mails_to("a@example.org")[0].body.split())
    assert get_user_model().objects.filter(username__iexact="reader").count() == 1


def test_a_pending_signup_reserves_nothing(reader, django_capture_on_commit_callbacks):
    # Someone signs up with another person's address: no account, and the owner of the
    # address can still sign up with it.
    answer(
        Client(),
        reverse("signup"),
        signup_data(email="victim@example.org"),
        django_capture_on_commit_callbacks,
    )
    assert not get_user_model().objects.filter(email="victim@example.org").exists()
    owner = Client()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("signup"), signup_data(username="victim", email="victim@example.org"))
    links = [confirm_link(m) for m in mails_to("victim@example.org")]
    assert owner.post(links[-1]).status_code == 302
    assert get_user_model().objects.get(email="victim@example.org").username == "victim"


# --- password reset ------------------------------------------------------------------------


def test_reset_answers_the_same_and_sends_only_after_the_answer(
    reader, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    known, known_queue = answer(
        Client(), reverse("password_reset"), {"email": "reader@example.org"}, capture
    )
    unknown, unknown_queue = answer(
        Client(), reverse("password_reset"), {"email": "nobody@example.org"}, capture
    )
    assert known == unknown
    assert known[1] == reverse("password_reset_done")
    # Nothing is looked up or sent while the page answers: one task queued either way.
    assert len(known_queue) == len(unknown_queue) == 1
    assert mail.outbox == []
    run(known_queue + unknown_queue)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]


# --- limits --------------------------------------------------------------------------------


def reset(client: Client, email: str, capture):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": email})


def test_reset_mails_to_one_address_are_limited_from_any_number_of_clients(
    settings, reader, django_capture_on_commit_callbacks
):
    # The finding: 15 reset mails in a row.
    statuses = [
        reset(
            Client(REMOTE_ADDR=f"198.51.100.{n}"),
            "reader@example.org",
            django_capture_on_commit_callbacks,
        ).status_code
        for n in range(15)
    ]
    # Every asker gets the usual answer (it says nothing about the address)...
    assert statuses == [302] * 15
    # ...but the inbox gets only the hour's allowance.
    assert len(mails_to("reader@example.org")) == settings.ACCOUNT_MAILS_PER_RECIPIENT_HOUR


def test_one_client_cannot_ask_for_mails_in_bulk(settings, django_capture_on_commit_callbacks):
    client = Client(REMOTE_ADDR="198.51.100.77")
    limit = settings.ACCOUNT_MAILS_PER_CLIENT_HOUR
    for n in range(limit):
        response = reset(client, f"probe{n}@example.org", django_capture_on_commit_callbacks)
        assert response.status_code == 302
    refused = reset(client, "one-more@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Sign-up shares the allowance: the same client cannot switch forms.
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(reverse("signup"), signup_data(email="x@example.org"))
    assert signup.status_code == 429
    # Another client is not affected.
    other = reset(
        Client(REMOTE_ADDR="198.51.100.78"), "x@example.org", django_capture_on_commit_callbacks
    )
    assert other.status_code == 302


def test_signups_to_one_address_are_limited(settings, django_capture_on_commit_callbacks):
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client(REMOTE_ADDR=f"198.51.100.{n}").post(
                reverse("signup"), signup_data(username=f"name{n}", email="target@example.org")
            )
        assert response.status_code == 302
    assert len(mails_to("target@example.org")) == settings.ACCOUNT_MAILS_PER_RECIPIENT_HOUR


def test_the_limits_survive_a_cache_flush_and_lift_after_the_hour(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_MAILS_PER_CLIENT_HOUR = 2
    client = Client(REMOTE_ADDR="198.51.100.90")
    start = timezone.now().replace(minute=0, second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        for n in range(2):
            reset(client, f"a{n}@example.org", django_capture_on_commit_callbacks)
        # Counted in the database: a flushed (or evicted, or unreachable) cache lifts nothing.
        cache.clear()
        assert reset(client, "b@example.org", django_capture_on_commit_callbacks).status_code == 429
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert reset(client, "b@example.org", django_capture_on_commit_callbacks).status_code == 302


def test_the_signup_link_is_not_the_password(django_capture_on_commit_callbacks):
    # The pending request stores a hash of the password, and of the link's secret only.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("signup"), signup_data())
    pending = SignupRequest.objects.get()
    link = confirm_link(mails_to("new@example.org")[0])
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert PASSWORD not in pending.password and check_password(PASSWORD, pending.password)
    assert token not in pending.token_hash
