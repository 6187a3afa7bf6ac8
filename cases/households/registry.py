"""Timeline kinds of households and the family block of the case page."""

from django.utils.translation import gettext_lazy as _

from cases.households import selectors, services
from cases.panels import TIMELINE, CasePanel, register_case_panel
from cases.timeline.kinds import EventKind, register, register_families

register(
    {
        "household.member_added": EventKind(
            _("Family member added to the household"), summary=services.member_added_summary
        ),
        "household.member_removed": EventKind(
            _("Family member removed from the household"), summary=services.member_removed_summary
        ),
    }
)
register_families({"household": _("Household")})
register_case_panel(
    CasePanel("cases/_case_household_panel.html", selectors.household_panel, order=15, section=TIMELINE)
)
