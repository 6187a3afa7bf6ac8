import pytest
from django.test import RequestFactory

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AppendOnlyError, AuditEvent
from integrapsy.audit.services import audit_record


@pytest.mark.django_db
def test_audit_record_keeps_who_what_and_where():
    user = make_user_with_role(Role.COORDINATOR)
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    event = audit_record(action="case.viewed", request=request, obj=user, case_ref="IP-2026-00001", detail="x" * 400)
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_username == user.username
    assert event.ip_address == "10.1.2.3"
    assert event.object_type == "accounts.user"
    assert event.object_ref == str(user.code)
    assert event.case_ref == "IP-2026-00001"
    assert len(event.detail) == 255


@pytest.mark.django_db
def test_audit_events_cannot_be_deleted_or_changed():
    event = audit_record(action="user.login")
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="changed")
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "user.login"


@pytest.mark.django_db
def test_forwarded_for_gives_the_client_address():
    # The proxy appended the client's address; what came before it was written by the client.
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.66, 192.0.2.7", REMOTE_ADDR="127.0.0.1")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert audit_record(action="user.login_failed", request=request).ip_address == "192.0.2.7"
