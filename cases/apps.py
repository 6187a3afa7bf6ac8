from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # The services modules register their timeline kinds on import.
        from cases import (
            gdpr,
            selectors,
            selectors_consultations,
            selectors_permanences,
            services_consultations,  # noqa: F401
            services_permanences,  # noqa: F401
        )
        from cases.panels import CARE, EVERY_SECTION, FILE, PLANNING, CasePanel, register_case_panel
        from cases.panels_screenings import register as register_screenings_orientations_activities
        from integrapsy.access import Capability
        from integrapsy.gdpr import register_eraser, register_retention_rule, register_subject_provider
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
            NavItem(
                _("Permanences"),
                "cases:permanence_week",
                Capability.VIEW_PERMANENCES,
                order=25,
                active_prefix="cases:permanence_",
            ),
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
            HomePanel(
                "cases/_home_risk_flags.html",
                Capability.VIEW_CASES,
                lambda *, user: {"risk_flags": selectors_consultations.open_risk_flags_for_home(user=user)},
                order=1,
            ),
            HomePanel(
                "cases/_home_permanence_todo.html",
                Capability.PLAN_PERMANENCES,
                lambda *, user: {"not_recorded": selectors_permanences.bookings_not_recorded(user=user)},
                order=20,
            ),
            HomePanel(
                "cases/_home_slot_requests.html",
                Capability.ANSWER_SLOT_REQUESTS,
                lambda *, user: {"slot_requests": selectors_permanences.slot_requests_to_answer(user=user, limit=5)},
                order=19,
            ),
            HomePanel(
                "cases/_home_psychologist.html",
                Capability.LOG_CONSULTATIONS,
                lambda *, user: {
                    "sessions": selectors_permanences.my_coming_sessions(user=user),
                    "drafts": selectors_consultations.my_draft_consultations(user=user),
                },
                order=20,
            ),
        )
        register_case_panel(
            CasePanel(
                "",  # a banner above the page, no block in it
                selectors_consultations.case_risk_banner,
                order=0,
                section=EVERY_SECTION,
            ),
            CasePanel("cases/_case_risk_panel.html", selectors_consultations.case_risk_panel, order=0, section=CARE),
            CasePanel(
                "cases/_case_consultations_panel.html",
                selectors_consultations.case_consultations_panel,
                order=10,
                section=CARE,
            ),
            CasePanel("cases/_case_referrals_panel.html", selectors.case_referrals_panel, order=10, section=FILE),
            CasePanel("cases/_case_team_panel.html", selectors.case_team_panel, order=20, section=FILE),
            CasePanel(
                "cases/_case_permanences_panel.html",
                selectors_permanences.case_permanences_panel,
                order=20,
                section=PLANNING,
            ),
        )
        register_subject_provider("cases", gdpr.subject_data)
        register_eraser("cases", gdpr.erase)
        for rule in gdpr.RETENTION:
            register_retention_rule(rule)
        register_screenings_orientations_activities()
