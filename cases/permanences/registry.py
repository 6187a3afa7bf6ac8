"""What permanences add to the app: timeline kinds, the menu entry, home panels, the planning block."""

from django.utils.translation import gettext_lazy as _

from cases.consultations import selectors as consultation_selectors
from cases.panels import PLANNING, CasePanel, register_case_panel
from cases.permanences import selectors
from cases.permanences.services import permanence_summary
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.navigation import HomePanel, NavItem, register_home_panel, register_nav

register(
    {
        "permanence.booked": EventKind(_("Booked for a permanence"), summary=permanence_summary),
        "permanence.attended": EventKind(_("Came to the permanence"), summary=permanence_summary),
        "permanence.no_show": EventKind(_("Did not come to the permanence"), summary=permanence_summary),
        "permanence.cancelled": EventKind(_("Permanence appointment cancelled"), summary=permanence_summary),
        "permanence.walk_in": EventKind(_("Came to the permanence without an appointment"), summary=permanence_summary),
        "permanence.requested": EventKind(_("Permanence slot requested by the referrer"), summary=permanence_summary),
        "permanence.request_declined": EventKind(_("Permanence slot request declined"), summary=permanence_summary),
    }
)
register_families({"permanence": _("Permanences")})
register_nav(
    NavItem(
        _("Permanences"),
        "cases:permanence_week",
        Capability.VIEW_PERMANENCES,
        order=25,
        active_prefix="cases:permanence_",
    ),
)
register_home_panel(
    HomePanel(
        "cases/_home_permanence_todo.html",
        Capability.PLAN_PERMANENCES,
        lambda *, user: {"not_recorded": selectors.bookings_not_recorded(user=user)},
        order=20,
    ),
    HomePanel(
        "cases/_home_slot_requests.html",
        Capability.ANSWER_SLOT_REQUESTS,
        lambda *, user: {"slot_requests": selectors.slot_requests_to_answer(user=user, limit=5)},
        order=19,
    ),
    # The psychologist's day: their coming permanences and the consultations left as drafts.
    HomePanel(
        "cases/_home_psychologist.html",
        Capability.LOG_CONSULTATIONS,
        lambda *, user: {
            "sessions": selectors.my_coming_sessions(user=user),
            "drafts": consultation_selectors.my_draft_consultations(user=user),
        },
        order=20,
    ),
)
register_case_panel(
    CasePanel("cases/_case_permanences_panel.html", selectors.case_permanences_panel, order=20, section=PLANNING),
)
