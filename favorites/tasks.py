"""Account e-mails, sent by a worker after the page has answered.

The sign-up and password-reset pages answer at once and the same way for every address;
whether an account exists is looked up here, off the request, so neither the answer nor
its timing tells. Thin tasks: the services decide and send. A mail server that is away
or refuses for a while is tried again, with back-off.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from favorites import services

MAIL_ERRORS = (SMTPException, OSError)


@shared_task(ignore_result=True, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def send_signup_mail(signup_request_id: int) -> None:
    services.signup_request_mail(signup_request_id=signup_request_id)


@shared_task(ignore_result=True, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def send_password_reset_mail(email: str, language: str) -> None:
    services.password_reset_mail_send(email=email, language=language)
