"""What consultations add to the app: timeline kinds and the block of the case's care section."""

from django.utils.translation import gettext_lazy as _

from cases.consultations import selectors
from cases.consultations.services import addendum_summary, clinical_summary, team_summary
from cases.models import Visibility
from cases.panels import CARE, CasePanel, register_case_panel
from cases.timeline.kinds import EventKind, register, register_families

register(
    {
        # What the whole team sees: that a consultation took place, never what was said.
        "consultation.logged": EventKind(_("Consultation"), summary=team_summary),
        "consultation.clinical": EventKind(
            _("Consultation: clinical summary"), visibility=Visibility.CLINICAL, summary=clinical_summary
        ),
        "consultation.addendum": EventKind(
            _("Addendum to a consultation"), visibility=Visibility.CLINICAL, summary=addendum_summary
        ),
    }
)
register_families({"consultation": _("Consultations")})
register_case_panel(
    CasePanel("cases/_case_consultations_panel.html", selectors.case_consultations_panel, order=10, section=CARE),
)
