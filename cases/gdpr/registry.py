"""What the cases app holds about a person, how it is erased, and its retention schedule."""

from cases.gdpr import providers
from integrapsy.gdpr import register_eraser, register_retention_rule, register_subject_provider

register_subject_provider("cases", providers.subject_data)
register_eraser("cases", providers.erase)
for rule in providers.RETENTION:
    register_retention_rule(rule)
