"""Fictional demo rows of the cases app, feature by feature, each needing the ones before it."""

from cases.case_file import demo as case_file_demo
from cases.households import demo as household_demo
from cases.permanences import demo as permanence_demo
from cases.reminders import demo as reminder_demo
from cases.screenings import demo as screening_demo


def seed(*, stdout) -> None:
    # Persons, their referrals and cases, and a family among them; then the permanences around
    # them; then questionnaires, the directory of resources, orientations and group activities.
    case_file_demo.seed(stdout=stdout)
    household_demo.seed(stdout=stdout)
    permanence_demo.seed(stdout=stdout)
    reminder_demo.seed(stdout=stdout)
    screening_demo.seed(stdout=stdout)
