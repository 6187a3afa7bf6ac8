from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import selectors
        from cases.panels_screenings import register as register_screenings_orientations_activities
        from integrapsy.access import Capability
        from integrapsy.navigation import HomePanel, NavItem, register_home_panel, register_nav

        register_nav(
            NavItem(
                _("Referrals"),
                "cases:inbox",
                Capability.VIEW_TEAM_REFERRALS,
                order=10,
                active_prefix="cases:referral_",
            ),
            NavItem(_("Cases"), "cases:list", Capability.VIEW_CASES, order=20, active_prefix="cases:detail"),
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
        register_screenings_orientations_activities()
