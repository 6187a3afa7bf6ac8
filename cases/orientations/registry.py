"""What orientations add to the app: timeline kinds, the directory menu entry, the follow-up panel, a care block."""

from django.utils.translation import gettext_lazy as _

from cases.orientations import selectors
from cases.orientations.services import outcome_summary, proposed_summary
from cases.panels import CARE, CasePanel, register_case_panel
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.navigation import HomePanel, NavItem, register_home_panel, register_nav

register(
    {
        "orientation.proposed": EventKind(_("Orientation to a specialised service"), summary=proposed_summary),
        "orientation.outcome": EventKind(_("Orientation followed up"), summary=outcome_summary),
    }
)
register_families({"orientation": _("Orientations")})
register_nav(
    NavItem(
        _("Directory"),
        "cases:resource_list",
        Capability.VIEW_DIRECTORY,
        order=40,
        active_prefix="cases:resource_",
    ),
)
register_home_panel(
    HomePanel(
        "cases/_home_orientations_todo.html",
        Capability.FOLLOW_UP_ORIENTATIONS,
        lambda *, user: selectors.overdue_home_panel(user=user),
        order=20,
    )
)
register_case_panel(
    CasePanel("cases/_case_orientations_panel.html", selectors.orientation_panel, order=30, section=CARE),
)
