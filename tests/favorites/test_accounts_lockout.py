"""Sign-in attempts are rate limited by django-axes: a lock-out, then a cool-off.

No axes internals are mocked: the attempts go through the login view and the
database handler; the cool-off passing is simulated by moving the recorded
attempts back in time, which is what the clock would do.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.readers import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, password, username="reader"):
    return client.post(reverse("login"), {"username": username, "password": password})


def lock_out(client):
    responses = [sign_in(client, "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT)]
    return responses[-1]


def test_failures_below_the_limit_do_not_lock(client, reader):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong-password").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_lock_out_after_repeated_failures_with_a_clear_message(client, reader):
    response = lock_out(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    # The default cool-off is 15 minutes (settings.AXES_COOLOFF_TIME is in hours).
    assert "Try again in 15 minutes" in page
    assert reverse("password_reset") in page

    # Even the right password is refused while the lock holds.
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert client.session.get("_auth_user_id") is None


def test_lock_out_is_per_account_not_for_everyone(client, reader, other_reader):
    lock_out(client)
    assert sign_in(client, PASSWORD, username="other").status_code == 302


def test_sign_in_works_again_after_the_cool_off(client, reader):
    lock_out(client)
    assert sign_in(client, PASSWORD).status_code == 429

    # The cool-off passes.
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(seconds=1))

    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(reader.pk)


def test_a_short_cool_off_in_settings_is_honoured(client, reader, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=30)
    response = lock_out(client)
    assert response.status_code == 429
    assert "Try again in 1 minute." in response.content.decode()

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=31))
    assert sign_in(client, PASSWORD).status_code == 302
