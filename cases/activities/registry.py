"""What group activities add to the app: timeline kinds, the menu entry, the planning block."""

from django.utils.translation import gettext_lazy as _

from cases.activities import selectors
from cases.activities.services import attended_summary, enrolled_summary
from cases.panels import PLANNING, CasePanel, register_case_panel
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.navigation import NavItem, register_nav

register(
    {
        "activity.enrolled": EventKind(_("Enrolled in a group activity"), summary=enrolled_summary),
        "activity.waiting": EventKind(_("On the waiting list of a group activity")),
        "activity.withdrawn": EventKind(_("Left a group activity")),
        "activity.attended": EventKind(_("Took part in a group activity"), summary=attended_summary),
    }
)
register_families({"activity": _("Group activities")})
register_nav(
    NavItem(
        _("Group activities"),
        "cases:activity_list",
        Capability.VIEW_ACTIVITIES,
        order=30,
        active_prefix="cases:activity_",
    ),
)
register_case_panel(
    CasePanel("cases/_case_activities_panel.html", selectors.activity_panel, order=40, section=PLANNING),
)
