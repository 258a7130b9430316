"""The sign-up form (Django's user creation form plus a required e-mail address), and
the password check before an account is deleted."""

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Only used to reset your password if you forget it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        # Password reset finds accounts by e-mail: one address, one account, whatever the case.
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account already uses this e-mail address. Sign in, or reset your "
                    "password if you forgot it."
                ),
                code="email_taken",
            )
        return email


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
