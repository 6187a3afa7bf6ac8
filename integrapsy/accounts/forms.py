from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.template.loader import render_to_string
from django.utils import translation

from integrapsy.accounts.models import User
from integrapsy.accounts.services import send_account_email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset by email, written in the user's language and sent by ``send_account_email``.

    Django answers the same page whether the address is known or not; only a known, active
    account receives a message.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        with translation.override(context["user"].language or settings.LANGUAGE_CODE):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        send_account_email(to=to_email, subject=subject, body=body, user=context["user"])


class UserAddForm(auth_forms.AdminUserCreationForm):
    """The administration's "add user": the password an administrator chose is changed at first sign-in."""

    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User

    def save(self, commit=True):
        self.instance.must_change_password = True
        return super().save(commit=commit)
