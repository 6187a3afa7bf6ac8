"""The flags of the ambassador's page of their assignment: answer a proposal, then log contacts until it ends."""

import pytest

from ambassadors import selectors
from ambassadors.models import Assignment


@pytest.mark.parametrize(
    ("status", "may_answer", "may_log_contact"),
    [
        (Assignment.Status.PROPOSED, True, False),
        (Assignment.Status.ACCEPTED, False, True),
        (Assignment.Status.ACTIVE, False, True),
        (Assignment.Status.ENDED, False, False),
    ],
)
def test_what_the_ambassador_may_do_on_their_assignment(status, may_answer, may_log_contact):
    flags = selectors.assignment_flags(Assignment(status=status))
    assert flags == {"may_answer": may_answer, "may_log_contact": may_log_contact}
