"""What referrals add to the app: timeline kinds, menu entries, home panels, a case-page block."""

from django.utils.translation import gettext_lazy as _

from cases.panels import FILE, CasePanel, register_case_panel
from cases.referrals import selectors
from cases.referrals.services import submitted_summary
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.navigation import HomePanel, NavItem, register_home_panel, register_nav

register(
    {
        "referral.submitted": EventKind(_("Referral received"), summary=submitted_summary),
        "referral.info_requested": EventKind(_("More information asked of the referrer")),
        "referral.info_given": EventKind(_("The referrer answered")),
        "referral.accepted": EventKind(_("Referral accepted")),
        "referral.declined": EventKind(_("Referral declined")),
    }
)
register_families({"referral": _("Referrals")})
register_nav(
    NavItem(_("Referrals"), "cases:inbox", Capability.VIEW_TEAM_REFERRALS, order=10, active_prefix="cases:referral_"),
    NavItem(_("Refer a person"), "cases:referral_new", Capability.SUBMIT_REFERRAL, order=10),
    NavItem(
        _("Our referrals"),
        "cases:referral_mine",
        Capability.FOLLOW_OWN_REFERRALS,
        order=11,
        active_prefix="cases:referral_status",
    ),
)
register_home_panel(
    HomePanel(
        "cases/_home_urgent_referrals.html",
        Capability.TRIAGE_REFERRALS,
        lambda *, user: {"urgent_referrals": selectors.urgent_referrals_untaken(user=user)},
        order=0,
    ),
    HomePanel(
        "cases/_home_referrer.html",
        Capability.FOLLOW_OWN_REFERRALS,
        lambda *, user: {"recent_referrals": list(selectors.referrals_for_referrer(user=user)[:5])},
        order=10,
    ),
)
register_case_panel(
    CasePanel("cases/_case_referrals_panel.html", selectors.case_referrals_panel, order=10, section=FILE)
)
