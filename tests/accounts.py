"""Sign-up and password reset as a reader does them: the form, then the link in the mail.

The mails are sent by tasks enqueued with transaction.on_commit; tests run inside a
transaction, so the caller passes pytest-django's django_capture_on_commit_callbacks
and the tasks run when the request is done. They run in-process (the
`mail_tasks_in_process` fixture), as they do without a broker: with REDIS_URL set they
would otherwise wait in Redis for a worker these tests do not start.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.readers import PASSWORD

LINK = re.compile(r"https?://[^/\s]+(/\S+)")


@pytest.fixture
def mail_tasks_in_process(monkeypatch):
    from newsroom.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    monkeypatch.setattr(app.conf, "task_eager_propagates", True)


def signup_data(**overrides) -> dict:
    data = {
        "username": "newreader",
        "email": "new@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def post_with_mail(client, capture, url: str, data: dict, **extra):
    """POST `url`, then run the tasks the request enqueued on commit (the mails)."""
    with capture(execute=True):
        return client.post(url, data, **extra)


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def links_in(message) -> list[str]:
    """The paths of the site's links in a mail (SITE_URL's host may be any)."""
    return LINK.findall(message.body)


def sign_up(client, capture, **overrides):
    """Fill the sign-up form; returns the response (a redirect to 'check your e-mail')."""
    return post_with_mail(client, capture, reverse("signup"), signup_data(**overrides))


def confirm_link(message) -> str:
    [link] = [path for path in links_in(message) if "/signup/confirm/" in path]
    return link
