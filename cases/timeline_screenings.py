"""Timeline kinds of screenings, orientations and group activities (imported from ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from cases.models import Visibility
from cases.timeline import EventKind, register, register_families

register(
    {
        # The team sees that a questionnaire was given; only clinicians see the score.
        "screening.administered": EventKind(_("Questionnaire administered")),
        "screening.scored": EventKind(_("Questionnaire score"), visibility=Visibility.CLINICAL),
        "orientation.proposed": EventKind(_("Orientation to a specialised service")),
        "orientation.outcome": EventKind(_("Orientation followed up")),
        "activity.enrolled": EventKind(_("Enrolled in a group activity")),
        "activity.waiting": EventKind(_("On the waiting list of a group activity")),
        "activity.withdrawn": EventKind(_("Left a group activity")),
        "activity.attended": EventKind(_("Took part in a group activity")),
    }
)
register_families(
    {
        "screening": _("Questionnaires"),
        "orientation": _("Orientations"),
        "activity": _("Group activities"),
    }
)
