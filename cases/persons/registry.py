"""Timeline kinds of persons' identity and consents."""

from django.utils.translation import gettext_lazy as _

from cases.persons.services import consent_summary, merged_summary
from cases.timeline.kinds import EventKind, register, register_families

register(
    {
        "person.merged": EventKind(_("Duplicate person merged"), summary=merged_summary),
        "person.anonymised": EventKind(_("Identity erased")),
        "consent.recorded": EventKind(_("Consent recorded"), summary=consent_summary),
    }
)
register_families({"person": _("Identity"), "consent": _("Consents")})
