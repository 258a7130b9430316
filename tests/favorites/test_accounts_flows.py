"""Sign up, sign in, sign out, password change and reset, through the real views."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts import (  # noqa: F401 (a fixture)
    confirm_link,
    links_in,
    mail_tasks_in_process,
    mails_to,
    post_with_mail,
    sign_up,
    signup_data,
)
from tests.readers import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_tasks_in_process")]


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- sign up -----------------------------------------------------------------


def test_signup_page_renders(client):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert b'name="password1"' in response.content


def test_signup_mails_a_link_that_creates_the_account_and_signs_in(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("signup_sent")
    assert "Check your e-mail" in client.get(response.url).content.decode()
    # Nothing exists until the address is confirmed.
    assert not get_user_model().objects.filter(username="newreader").exists()
    assert signed_in_user_id(client) is None

    [message] = mails_to("new@example.org")
    link = confirm_link(message)
    # Opening the link (as a mail scanner would) creates nothing: it asks for a click.
    page = client.get(link)
    assert page.status_code == 200
    assert "newreader" in page.content.decode()
    assert not get_user_model().objects.filter(username="newreader").exists()

    response = client.post(link)
    assert response.status_code == 302
    assert response.url == reverse("today")
    user = get_user_model().objects.get(username="newreader")
    assert user.email == "new@example.org"
    assert user.check_password(PASSWORD)
    assert signed_in_user_id(client) == str(user.pk)
    # The link works once.
    assert Client().get(link).status_code == 404
    assert Client().post(link).status_code == 404


def test_a_tampered_or_made_up_link_creates_nothing(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirm_link(mails_to("new@example.org")[0])
    for bad in (link[:-2] + "x/", reverse("signup_confirm", kwargs={"token": "x" * 43})):
        assert client.post(bad).status_code == 404
    assert not get_user_model().objects.filter(username="newreader").exists()


def test_signup_honours_same_site_next(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, next="/favorites/")
    response = client.post(confirm_link(mails_to("new@example.org")[0]))
    assert response.status_code == 302
    assert response.url == "/favorites/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "https:///evil.example/"]
)
def test_signup_refuses_off_site_next(client, django_capture_on_commit_callbacks, next_url):
    sign_up(client, django_capture_on_commit_callbacks, next=next_url)
    response = client.post(confirm_link(mails_to("new@example.org")[0]))
    assert response.status_code == 302
    assert response.url == reverse("today")


@pytest.mark.parametrize(
    "password, message",
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83920174659", "entirely numeric"),
        ("newreader-x", "too similar"),
    ],
)
def test_signup_applies_djangos_password_validators(client, password, message):
    response = client.post(reverse("signup"), signup_data(password1=password, password2=password))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="newreader").exists()
    assert signed_in_user_id(client) is None


def test_signup_refuses_mismatched_passwords(client):
    response = client.post(reverse("signup"), signup_data(password2=PASSWORD + "x"))
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="newreader").exists()


def test_signup_with_an_e_mail_already_used_tells_its_owner_not_the_page(
    client, reader, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, email="READER@example.org")
    assert response.status_code == 302 and response.url == reverse("signup_sent")
    assert get_user_model().objects.count() == 1
    [message] = mails_to("READER@example.org")
    assert "already has one, whose user name is reader" in " ".join(message.body.split())
    assert reverse("password_reset") in "".join(links_in(message))
    assert not [path for path in links_in(message) if "/signup/confirm/" in path]


def test_signup_with_a_username_taken_in_another_case_tells_the_address(
    client, reader, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, username="Reader")
    assert response.status_code == 302 and response.url == reverse("signup_sent")
    assert get_user_model().objects.count() == 1
    [message] = mails_to("new@example.org")
    assert "That user name is taken" in " ".join(message.body.split())


def test_a_name_taken_between_the_mail_and_the_click_is_refused(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirm_link(mails_to("new@example.org")[0])
    get_user_model().objects.create_user("NewReader", "someone@example.org", PASSWORD)
    response = client.post(link)
    assert response.status_code == 409
    assert get_user_model().objects.filter(username__iexact="newreader").count() == 1
    assert signed_in_user_id(client) is None


def test_signup_when_signed_in_goes_back(reader_client):
    response = reader_client.get(reverse("signup") + "?next=/favorites/")
    assert response.status_code == 302
    assert response.url == "/favorites/"


def test_signup_page_in_french(client):
    response = client.get("/fr/accounts/signup/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"


# --- sign in and out -----------------------------------------------------------


def test_login_page_offers_sign_up_keeping_next(client):
    response = client.get(reverse("login") + "?next=/favorites/")
    assert response.status_code == 200
    assert reverse("signup") + "?next=/favorites/" in response.content.decode()


def test_login_with_correct_password_follows_same_site_next(client, reader):
    response = client.post(
        reverse("login"), {"username": "reader", "password": PASSWORD, "next": "/favorites/"}
    )
    assert response.status_code == 302
    assert response.url == "/favorites/"
    assert signed_in_user_id(client) == str(reader.pk)


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "https:///evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "/\\evil.example/",
    ],
)
def test_login_refuses_open_redirect(client, reader, next_url):
    response = client.post(
        reverse("login"), {"username": "reader", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == reverse("today")
    assert signed_in_user_id(client) == str(reader.pk)


def test_login_page_does_not_echo_an_off_site_next(client):
    response = client.get(reverse("login") + "?next=https://evil.example/")
    assert response.status_code == 200
    assert response.context["next"] == ""
    assert 'name="next" value=""' in response.content.decode()


def test_login_with_wrong_password_says_so(client, reader):
    response = client.post(reverse("login"), {"username": "reader", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_logout_is_a_post(reader_client):
    response = reader_client.get(reverse("logout"))
    assert response.status_code == 405
    assert signed_in_user_id(reader_client) is not None

    response = reader_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("today")
    assert signed_in_user_id(reader_client) is None


def test_favorites_page_needs_sign_in(client):
    response = client.get(reverse("favorite_list"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/favorites/"


# --- passwords -----------------------------------------------------------------


def test_password_change(reader_client, reader):
    new = "an-even-better-passphrase-77"
    assert reader_client.get(reverse("password_change")).status_code == 200
    response = reader_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    reader.refresh_from_db()
    assert reader.check_password(new)
    # Still signed in: Django updates the session hash after a password change.
    assert reader_client.get(reverse("favorite_list")).status_code == 200


def test_password_change_needs_the_old_password(reader_client, reader):
    new = "an-even-better-passphrase-77"
    response = reader_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_password_reset_by_e_mail(client, reader, django_capture_on_commit_callbacks):
    response = post_with_mail(
        client,
        django_capture_on_commit_callbacks,
        reverse("password_reset"),
        {"email": "reader@example.org"},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    [link] = links_in(message)

    # Django swaps the token for a session value, then shows the form.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    new = "a-fresh-passphrase-for-reader-9"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    reader.refresh_from_db()
    assert reader.check_password(new)

    # The link works only once.
    response = client.get(link, follow=True)
    assert not response.context["validlink"]


def test_password_reset_link_points_at_site_url_not_the_requests_host(
    client, reader, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    post_with_mail(
        client,
        django_capture_on_commit_callbacks,
        reverse("password_reset"),
        {"email": "reader@example.org"},
        HTTP_HOST="evil.example",
    )
    [message] = mail.outbox
    assert "https://news.example.org/accounts/reset/" in message.body
    assert "evil.example" not in message.body


def test_password_reset_mail_is_in_the_readers_language(
    client, reader, django_capture_on_commit_callbacks
):
    post_with_mail(
        client,
        django_capture_on_commit_callbacks,
        "/fr/accounts/password_reset/",
        {"email": "reader@example.org"},
    )
    [message] = mail.outbox
    assert "/fr/accounts/reset/" in message.body


def test_password_reset_page_says_the_same_for_an_unknown_address(
    client, reader, django_capture_on_commit_callbacks
):
    response = post_with_mail(
        client,
        django_capture_on_commit_callbacks,
        reverse("password_reset"),
        {"email": "nobody@example.org"},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


# --- CSRF ----------------------------------------------------------------------


def test_sign_in_without_csrf_token_is_refused(reader):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "reader", "password": PASSWORD})
    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_sign_up_without_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("signup"), signup_data())
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="newreader").exists()


def test_sign_in_with_csrf_token_works(reader):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": "reader", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(reader.pk)
