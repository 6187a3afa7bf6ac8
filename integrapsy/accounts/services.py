from __future__ import annotations

from django.conf import settings
from django.db import transaction

from integrapsy.accounts.models import User
from integrapsy.audit.services import audit_record


@transaction.atomic
def user_set_language(*, user: User, language: str, request=None) -> User:
    """Remember the user's preferred interface language."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    audit_record(action="user.language_changed", actor=user, request=request, obj=user, detail=language)
    return user


def send_account_email(*, to: str, subject: str, body: str, user: User | None = None) -> None:
    """Queue an email about the account itself (password reset), already written in the user's language."""
    from integrapsy.notifications.services import outbox_queue

    outbox_queue(
        to=user or to,
        template="account.message",
        context={"subject": subject, "body": body},
        language=user.language if user and user.language else None,
    )


@transaction.atomic
def user_password_changed(*, user: User, request, how: str) -> User:
    """After the user chose a new password (``how``: "changed" or "reset"): no change is asked any more."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit_record(action=f"user.password_{how}", actor=user, request=request, obj=user)
    return user


def totp_device_for_enrolment(*, user: User):
    """The user's unconfirmed TOTP device, created when missing (shown as a QR code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="IntegraPsy", confirmed=False)
    return device


@transaction.atomic
def totp_verify(*, user: User, token: str, request) -> bool:
    """Check a code against the user's devices; the first good code confirms a new device."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = "".join(ch for ch in token if ch.isdigit())
    for device in TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id"):
        if device.verify_token(token):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                audit_record(action="user.two_factor_enrolled", actor=user, request=request)
            otp_login(request, device)
            audit_record(action="user.two_factor_verified", actor=user, request=request)
            return True
    audit_record(action="user.two_factor_failed", actor=user, request=request)
    return False
