"""Timeline kinds of persons' identity and consents."""

from django.utils.translation import gettext_lazy as _

from cases.timeline.kinds import EventKind, register, register_families

register(
    {
        "person.merged": EventKind(_("Duplicate person merged")),
        "person.anonymised": EventKind(_("Identity erased")),
        "consent.recorded": EventKind(_("Consent recorded")),
    }
)
register_families({"person": _("Identity"), "consent": _("Consents")})
