"""What risk adds to the app: timeline kinds, the home panel of open flags, the banner and block of a case."""

from django.utils.translation import gettext_lazy as _

from cases.models import Visibility
from cases.panels import CARE, EVERY_SECTION, CasePanel, register_case_panel
from cases.risk import selectors
from cases.risk.services import acknowledged_summary, assessed_summary, raised_detail_summary, raised_summary
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.navigation import HomePanel, register_home_panel

register(
    {
        "risk.raised": EventKind(_("Risk flag raised"), summary=raised_summary),
        "risk.raised_detail": EventKind(
            _("Why the risk flag was raised"), visibility=Visibility.CLINICAL, summary=raised_detail_summary
        ),
        "risk.acknowledged": EventKind(_("Risk flag acknowledged"), summary=acknowledged_summary),
        "risk.assessed": EventKind(_("Risk assessment"), visibility=Visibility.CLINICAL, summary=assessed_summary),
    }
)
register_families({"risk": _("Risk")})
register_home_panel(
    HomePanel(
        "cases/_home_risk_flags.html",
        Capability.VIEW_CASES,
        lambda *, user: {"risk_flags": selectors.open_risk_flags_for_home(user=user)},
        order=1,
    ),
)
register_case_panel(
    # A banner above every section of the page, with no block of its own.
    CasePanel("", selectors.case_risk_banner, order=0, section=EVERY_SECTION),
    CasePanel("cases/_case_risk_panel.html", selectors.case_risk_panel, order=0, section=CARE),
)
