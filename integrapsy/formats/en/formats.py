"""English as written in Europe (en-GB): day first, 24-hour clock (1 December 2026 is 01/12/2026).

The interface keeps the language code ``en`` (URLs, the language cookie and users' stored
preference stay as they are); only the formats are British.
"""

from django.conf.locale.en_GB.formats import *  # noqa: F403

# The times of the interface are on the 24-hour clock in every language ("10:00", not "10 a.m.").
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
