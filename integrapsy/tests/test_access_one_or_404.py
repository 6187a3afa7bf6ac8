"""``access.one_or_404``: a row outside the scope, a missing row and a malformed code answer alike."""

import pytest
from django.http import Http404

from cases.models import Case
from cases.tests.factories import CaseFactory
from integrapsy import access

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_malformed_or_unknown_code_is_not_found(code):
    CaseFactory()
    with pytest.raises(Http404):
        access.one_or_404(Case.objects.all(), code=code)


def test_a_row_outside_the_queryset_is_not_found_and_one_inside_is_given():
    inside, outside = CaseFactory(), CaseFactory()
    scoped = Case.objects.filter(pk=inside.pk)
    assert access.one_or_404(scoped, code=inside.code) == inside
    with pytest.raises(Http404):
        access.one_or_404(scoped, code=outside.code)
