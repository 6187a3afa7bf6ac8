"""Training progress: hours and required modules towards the certificate."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ambassadors import selectors, services
from ambassadors.models import Ambassador, TrainingAttendance
from ambassadors.tests.factories import AmbassadorFactory, TrainingModuleFactory, TrainingSessionFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

pytestmark = pytest.mark.django_db


def test_progress_sums_hours_and_counts_required_modules(team, coordinator):
    a, b = AmbassadorFactory(team=team), AmbassadorFactory(team=team)
    m1, m2 = TrainingModuleFactory(), TrainingModuleFactory()
    optional = TrainingModuleFactory(required_for_certificate=False)
    s1 = TrainingSessionFactory(module=m1, team=team, duration_minutes=180)
    s2 = TrainingSessionFactory(module=m2, team=team, duration_minutes=150)
    services.training_attendance_set(session=s1, actor=coordinator, ambassadors=[a, b])
    services.training_attendance_set(session=s2, actor=coordinator, ambassadors=[a])
    today = timezone.localdate()
    for module in (m1, m2, optional):
        services.module_complete(ambassador=a, module=module, actor=coordinator, completed_on=today)
    services.module_complete(ambassador=b, module=optional, actor=coordinator, completed_on=today)

    progress = {p.ambassador.pk: p for p in selectors.training_progress(ambassadors=Ambassador.objects.all())}
    assert progress[a.pk].minutes == 330 and progress[a.pk].hours == 5.5
    assert (progress[a.pk].completed, progress[a.pk].required, progress[a.pk].certified) == (2, 2, True)
    assert progress[b.pk].minutes == 180
    assert (progress[b.pk].completed, progress[b.pk].percent, progress[b.pk].certified) == (0, 0, False)


def test_attendance_replaces_the_list_and_is_recorded_once(team, coordinator):
    a, b = AmbassadorFactory(team=team), AmbassadorFactory(team=team)
    session = TrainingSessionFactory(team=team)
    services.training_attendance_set(session=session, actor=coordinator, ambassadors=[a, b])
    services.training_attendance_set(session=session, actor=coordinator, ambassadors=[b])
    assert list(TrainingAttendance.objects.values_list("ambassador_id", flat=True)) == [b.pk]


def test_attendance_bad_input(team, coordinator):
    future = TrainingSessionFactory(team=team, starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        services.training_attendance_set(session=future, actor=coordinator, ambassadors=[AmbassadorFactory(team=team)])
    assert "ambassadors" in exc.value.error_dict
    past = TrainingSessionFactory(team=team)
    with pytest.raises(ValidationError):
        services.training_attendance_set(
            session=past, actor=coordinator, ambassadors=[AmbassadorFactory(team=TeamFactory(name="Autre"))]
        )
    assert TrainingAttendance.objects.count() == 0


def test_a_module_is_completed_once_and_not_in_the_future(team, coordinator):
    a, module = AmbassadorFactory(team=team), TrainingModuleFactory()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.module_complete(ambassador=a, module=module, actor=coordinator, completed_on=today + timedelta(days=1))
    assert "completed_on" in exc.value.error_dict
    services.module_complete(ambassador=a, module=module, actor=coordinator, completed_on=today)
    with pytest.raises(ValidationError) as exc:
        services.module_complete(ambassador=a, module=module, actor=coordinator, completed_on=today)
    assert "module" in exc.value.error_dict


def test_only_a_coordinator_of_the_team_records_training(team):
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team)
    with pytest.raises(ValidationError):
        services.module_complete(
            ambassador=AmbassadorFactory(team=team),
            module=TrainingModuleFactory(),
            actor=psychologist,
            completed_on=timezone.localdate(),
        )
