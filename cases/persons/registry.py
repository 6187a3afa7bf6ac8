"""Timeline kinds of persons' identity and consents; the administrator's nationalities to resolve."""

from django.utils.translation import gettext_lazy as _

from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.navigation import NavItem, register_nav

register(
    {
        "person.merged": EventKind(_("Duplicate person merged")),
        "person.anonymised": EventKind(_("Identity erased")),
        "consent.recorded": EventKind(_("Consent recorded")),
    }
)
register_families({"person": _("Identity"), "consent": _("Consents")})
register_nav(
    NavItem(
        _("Nationalities to resolve"),
        "cases:nationalities_unresolved",
        Capability.RESOLVE_NATIONALITIES,
        order=86,
        active_prefix="cases:nationality",
    )
)
