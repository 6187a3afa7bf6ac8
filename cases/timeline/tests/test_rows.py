"""A timeline line shows its time, author and clinical mark as the template's filters wrote them."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from cases.models import TimelineEvent, Visibility
from cases.tests.factories import CaseFactory
from cases.timeline.record import timeline_record
from cases.timeline.selectors import timeline_rows

pytestmark = pytest.mark.django_db

# What the timeline template wrote of an event before its rows carried it.
_FILTERS = Template(
    "{{ e.occurred_at|date:'c' }}|{{ e.occurred_at|date:'SHORT_DATETIME_FORMAT' }}|"
    "{% if e.actor %}{{ e.actor }}{% endif %}|{% if e.visibility == 'clinical' %}clinical{% endif %}"
)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_time_author_and_mark_are_those_the_filters_wrote(team, psychologist, language):
    case = CaseFactory(team=team)
    # 23:30 UTC in winter is 00:30 the next day in Brussels and Paris: the line shows the local time.
    late = datetime(2026, 1, 15, 23, 30, 5, 120000, tzinfo=UTC)
    timeline_record(case=case, kind="note.added", actor=psychologist, summary="Appel", occurred_at=late)
    timeline_record(
        case=case, kind="note.added", summary="Sans auteur", occurred_at=late, visibility=Visibility.CLINICAL
    )
    events = list(TimelineEvent.objects.filter(case=case).select_related("actor").order_by("id"))
    with translation.override(language):
        rows = timeline_rows(events)
        wrote = [_FILTERS.render(Context({"e": e})) for e in events]
    assert ["|".join([r["iso"], r["when"], r["actor"], "clinical" if r["clinical"] else ""]) for r in rows] == wrote
    assert rows[0]["iso"].startswith("2026-01-16T00:30:05")
    assert rows[0]["actor"] == str(psychologist) and rows[1]["actor"] == ""
    assert (rows[0]["clinical"], rows[1]["clinical"]) == (False, True)
