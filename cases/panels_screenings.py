"""Menu entries, home panel and case-page blocks of screenings, orientations and group activities."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from cases import (  # noqa: F401 - timeline_screenings registers its timeline kinds
        selectors_activities,
        selectors_orientations,
        selectors_screenings,
        timeline_screenings,
    )
    from cases.panels import CARE, PLANNING, CasePanel, register_case_panel
    from integrapsy.access import Capability
    from integrapsy.navigation import HomePanel, NavItem, register_home_panel, register_nav

    register_nav(
        NavItem(
            _("Group activities"),
            "cases:activity_list",
            Capability.VIEW_ACTIVITIES,
            order=30,
            active_prefix="cases:activity_",
        ),
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
            lambda *, user: selectors_orientations.overdue_home_panel(user=user),
            order=20,
        )
    )
    register_case_panel(
        CasePanel("cases/_case_screenings_panel.html", selectors_screenings.screening_panel, order=20, section=CARE),
        CasePanel(
            "cases/_case_orientations_panel.html", selectors_orientations.orientation_panel, order=30, section=CARE
        ),
        CasePanel("cases/_case_activities_panel.html", selectors_activities.activity_panel, order=40, section=PLANNING),
    )
