"""What screenings add to the app: timeline kinds and the block of the case's care section."""

from django.utils.translation import gettext_lazy as _

from cases.models import Visibility
from cases.panels import CARE, CasePanel, register_case_panel
from cases.screenings import selectors
from cases.screenings.services import administered_summary, scored_summary
from cases.timeline.kinds import EventKind, register, register_families

register(
    {
        # The team sees that a questionnaire was given; only clinicians see the score.
        "screening.administered": EventKind(_("Questionnaire administered"), summary=administered_summary),
        "screening.scored": EventKind(_("Questionnaire score"), visibility=Visibility.CLINICAL, summary=scored_summary),
    }
)
register_families({"screening": _("Questionnaires")})
register_case_panel(
    CasePanel("cases/_case_screenings_panel.html", selectors.screening_panel, order=20, section=CARE),
)
