"""The sign-up form (Django's user creation form plus a required e-mail address), and
the password check before an account is deleted."""

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _


class SignupForm(BaseUserCreationForm):
    """Checks what the reader typed, never who has an account.

    Django's UserCreationForm says "A user with that username already exists", and the
    site used to say so of e-mail addresses too: both told anyone which accounts exist.
    Whether the name or the address is taken is decided when the confirmation mail is
    sent (favorites.services.signup_request_mail), and only the address's owner hears.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Only used to reset your password if you forget it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(BaseUserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def validate_unique(self) -> None:
        # No uniqueness check here (see above): this form never saves.
        return


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for its password: a session left open on a shared
    computer is not enough to destroy it."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        # authenticate(), not check_password(): django-axes counts the failures, so the
        # form cannot be used to guess the password of a session someone left open.
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
