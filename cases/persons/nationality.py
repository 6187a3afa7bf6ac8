"""Nationality as an ISO 3166 country code, with two explicit non-countries.

Country names come from django-countries' own catalogues (French, Dutch, English). Three
user-assigned codes are added: XK (Kosovo, the code the European Commission uses), XX
(stateless, as ICAO's XXA) and ZZ (nationality unknown, as CLDR's "unknown region").
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import Countries

STATELESS = "XX"
UNKNOWN = "ZZ"


class NationalityCountries(Countries):
    override = {
        "XK": _("Kosovo"),
        STATELESS: pgettext_lazy("nationality", "Stateless"),
        UNKNOWN: pgettext_lazy("nationality", "Unknown"),
    }
    # Stateless and unknown come first: the two answers that are not a country.
    first = [STATELESS, UNKNOWN]
    first_repeat = False
    first_break = None
    first_sort = False


nationalities = NationalityCountries()


def nationality_name(code: str) -> str:
    """The country's name in the active language ("" for no code; the code itself if it names no country)."""
    return (nationalities.name(code) or code) if code else ""
