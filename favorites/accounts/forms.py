"""The sign-up form: Django's user creation form plus a required e-mail address."""

from django import forms
from django.contrib.auth import get_user_model
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
