"""What ambassadors add: timeline kinds, menu entries, home panels, a case block, GDPR providers."""

from django.utils.translation import gettext_lazy as _

from ambassadors import gdpr, selectors
from ambassadors.services import assignment_summary, contact_summary
from cases.panels import PLANNING, CasePanel, register_case_panel
from cases.reminders.sources import CallHelperFinder, register_call_helper_finder
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.gdpr import register_eraser, register_subject_provider
from integrapsy.navigation import HomePanel, NavItem, register_home_panel, register_nav

register(
    {
        "assignment.proposed": EventKind(_("Ambassador proposed"), summary=assignment_summary),
        "assignment.accepted": EventKind(_("The ambassador accepted"), summary=assignment_summary),
        "assignment.started": EventKind(_("Ambassador's support started"), summary=assignment_summary),
        "assignment.ended": EventKind(_("Ambassador's support ended"), summary=assignment_summary),
        "contact.logged": EventKind(_("Ambassador's contact"), summary=contact_summary),
    }
)
register_families({"assignment": _("Ambassadors"), "contact": _("Ambassadors' contacts")})
register_nav(
    NavItem(
        _("My assignments"),
        "ambassadors:mine",
        Capability.WORK_AS_AMBASSADOR,
        order=10,
        active_prefix="ambassadors:mine",
    ),
    NavItem(_("My training"), "ambassadors:my_training", Capability.WORK_AS_AMBASSADOR, order=12),
    NavItem(
        _("Ambassadors"),
        "ambassadors:ambassador_list",
        Capability.VIEW_AMBASSADORS,
        order=30,
        active_prefix="ambassadors:ambassador_",
    ),
    NavItem(
        _("Language support"),
        "ambassadors:planner",
        Capability.PLAN_LANGUAGE_SUPPORT,
        order=32,
        active_prefix="ambassadors:planner",
    ),
    NavItem(
        _("Training"),
        "ambassadors:training",
        Capability.VIEW_AMBASSADORS,
        order=34,
        active_prefix="ambassadors:training",
    ),
)
register_home_panel(
    HomePanel(
        "ambassadors/_home_mine.html",
        Capability.WORK_AS_AMBASSADOR,
        lambda *, user: selectors.home_for_ambassador(user=user),
        order=5,
    ),
    HomePanel(
        "ambassadors/_home_coordinator.html",
        Capability.MANAGE_AMBASSADORS,
        lambda *, user: selectors.home_for_coordinator(user=user),
        order=20,
    ),
)
register_case_panel(
    CasePanel(
        "ambassadors/_case_panel.html",
        lambda *, user, case, case_access: {
            "ambassador_assignments": [
                # The ambassador's profile is linked for colleagues of the ambassador's team.
                {"assignment": a, "may_open": access.may(user, Capability.VIEW_AMBASSADORS, a.ambassador.team_id)}
                for a in selectors.case_assignments(user=user, case=case)
            ],
            "may_assign_ambassador": access.may(user, Capability.MANAGE_AMBASSADORS, case.team_id)
            and not case.is_closed,
        },
        order=30,
        section=PLANNING,
    )
)
register_subject_provider("ambassadors", gdpr.subject_data)
register_eraser("ambassadors", gdpr.erase)


def _ambassadors_speaking(team_id, language):
    """The team's active ambassadors who speak the language: they call when no text can help."""
    from ambassadors.models import Ambassador

    found = Ambassador.objects.filter(team_id=team_id, is_active=True, user__is_active=True, languages=language)
    return [a.user for a in found.select_related("user").order_by("pk")[:1]]


register_call_helper_finder(CallHelperFinder("ambassadors", _ambassadors_speaking, order=10))
