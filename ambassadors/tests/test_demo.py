from io import StringIO

import pytest
from django.core.management import call_command

from ambassadors import selectors
from ambassadors.models import Ambassador, Assignment, Contact
from cases.models import TimelineEvent


@pytest.mark.django_db
def test_four_ambassadors_with_assignments_contacts_and_training(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    ambassadors = {a.user.username: a for a in Ambassador.objects.select_related("user")}
    assert set(ambassadors) == {"ambassador", "ambassador_ar", "ambassador_ps", "ambassador_ku"}
    senait = ambassadors["ambassador"]
    assert senait.name == "Senait Tesfay"
    assert set(senait.languages.values_list("code", flat=True)) >= {"tir", "amh"}
    assert set(ambassadors["ambassador_ar"].languages.values_list("variety", flat=True)) >= {"Moroccan", "Sudanese"}
    assert set(ambassadors["ambassador_ps"].languages.values_list("code", flat=True)) >= {"pus", "prs"}
    assert "ckb" in ambassadors["ambassador_ku"].languages.values_list("code", flat=True)
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert statuses == {"proposed", "accepted", "active", "ended"}
    assert Contact.objects.count() >= 8
    assert TimelineEvent.objects.filter(kind="contact.logged").count() == Contact.objects.count()
    progress = {
        p.ambassador.user.username: p for p in selectors.training_progress(ambassadors=Ambassador.objects.all())
    }
    assert progress["ambassador"].certified
    assert not progress["ambassador_ku"].certified and progress["ambassador_ku"].minutes > 0
