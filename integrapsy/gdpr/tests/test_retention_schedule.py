"""The administrator's page of the retention schedule: rules, periods, the next run, what the last run did."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from integrapsy import clock
from integrapsy.audit.models import AuditEvent
from integrapsy.gdpr import RETENTION_RULES
from integrapsy.gdpr.selectors import retention_period
from integrapsy.schedule.models import ScheduledRun
from integrapsy.schedule.selectors import job_times

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("retention_schedule"), headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_sees_every_rule_with_its_period(client, role_users):
    html = _page(client, role_users["admin"])
    for rule in RETENTION_RULES:
        assert f'data-rule="{rule.key}"' in html
    for period in ("5 years", "1 year", "2 years", "90 days", "never less than 6 months"):
        assert period in html
    assert "Not run yet." in html


def test_the_data_rights_page_links_to_it(client, role_users):
    client.force_login(role_users["admin"])
    html = client.get(reverse("cases:gdpr_persons"), headers=EN).content.decode()
    assert f'href="{reverse("retention_schedule")}"' in html


@pytest.mark.parametrize("role", ["coordinator", "psychologist", "social_worker", "referrer"])
def test_other_roles_get_404(client, role_users, role):
    client.force_login(role_users[role])
    assert client.get(reverse("retention_schedule")).status_code == 404


def test_the_page_says_what_the_last_run_did(client, role_users):
    old = timezone.now() - timedelta(days=3 * 365)
    for _i in range(2):
        AuditEvent.objects.create(action="case.viewed", occurred_at=old)
    call_command("apply_retention", "--dry-run", stdout=StringIO())
    assert not AuditEvent.objects.filter(action="retention.applied").exists()  # a dry run is not a run
    call_command("apply_retention", stdout=StringIO())
    run = AuditEvent.objects.get(action="retention.applied")
    html = _page(client, role_users["admin"])
    assert "Not run yet." not in html
    audit_row = html[html.index('data-rule="audit_log"') :]
    assert '<td class="handled">2</td>' in audit_row[: audit_row.index("</tr>")]
    outbox_row = html[html.index('data-rule="outbox_sent"') :]
    assert '<td class="handled">0</td>' in outbox_row[: outbox_row.index("</tr>")]
    with translation.override("en"):
        assert date_format(timezone.localtime(run.occurred_at), "SHORT_DATETIME_FORMAT") in html


def _at(hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(hour)))


def test_the_next_run_is_tonight_at_two_then_due_then_tomorrow():
    with clock.as_of(_at(1)):
        assert job_times(key="retention").next_run_at == _at(2)
    with clock.as_of(_at(3)):
        assert job_times(key="retention").due
        ScheduledRun.objects.create(job="retention", period=timezone.localdate().isoformat(), enqueued_at=_at(2))
        times = job_times(key="retention")
    assert not times.due and times.last_enqueued_at == _at(2)
    assert times.next_run_at == _at(2) + timedelta(days=1)


@pytest.mark.parametrize(
    ("years", "text"), [(5, "5 years"), (1, "1 year"), (0.5, "6 months"), (90 / 365.25, "90 days")]
)
def test_periods_read_in_their_unit(years, text):
    from django.utils import translation

    with translation.override("en"):
        assert retention_period(years) == text


def test_the_page_reads_the_same_number_of_queries_after_1_run_or_30(client, role_users):
    from cases.tests.helpers import count_queries
    from integrapsy.audit.services import audit_record
    from integrapsy.gdpr.services import RETENTION_ACTION

    client.force_login(role_users["admin"])
    url = reverse("retention_schedule")
    audit_record(action=RETENTION_ACTION, object_type="retention", detail="audit_log=1")
    one = count_queries(client, url)
    for i in range(29):
        audit_record(action=RETENTION_ACTION, object_type="retention", detail=f"audit_log={i}")
    assert count_queries(client, url) == one
