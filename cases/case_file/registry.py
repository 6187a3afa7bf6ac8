"""What the case file adds to the app: timeline kinds, the menu entry, the team block."""

from django.utils.translation import gettext_lazy as _

from cases.case_file import selectors
from cases.case_file.services import case_updated_summary
from cases.panels import FILE, CasePanel, register_case_panel
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.navigation import NavItem, register_nav

register(
    {
        "case.opened": EventKind(_("Case opened")),
        "case.updated": EventKind(_("Case updated"), summary=case_updated_summary),
        "case.shared": EventKind(_("Case shared with another team")),
        "case.closed": EventKind(_("Case closed")),
        "note.added": EventKind(_("Coordination note")),
    }
)
register_families({"case": _("Case"), "note": _("Coordination notes")})
register_nav(NavItem(_("Cases"), "cases:list", Capability.VIEW_CASES, order=20, active_prefix="cases:detail"))
register_case_panel(CasePanel("cases/_case_team_panel.html", selectors.case_team_panel, order=20, section=FILE))
