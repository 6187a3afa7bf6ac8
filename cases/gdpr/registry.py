"""What the cases app holds about a person, how it is erased, its retention schedule, and the menu entry."""

from django.utils.translation import gettext_lazy as _

from cases.gdpr import providers
from integrapsy.access import Capability
from integrapsy.gdpr import register_eraser, register_retention_rule, register_subject_provider
from integrapsy.navigation import NavItem, register_nav

register_subject_provider("cases", providers.subject_data)
register_eraser("cases", providers.erase)
for rule in providers.RETENTION:
    register_retention_rule(rule)

register_nav(
    NavItem(
        _("Data rights"), "cases:gdpr_persons", Capability.MANAGE_DATA_RIGHTS, order=85, active_prefix="cases:gdpr_"
    )
)
