from cases.models.cases import Case, CaseShare, ReferenceCounter, RiskLevel
from cases.models.notes import CoordinationNote
from cases.models.persons import ConsentRecord, Household, Person, PersonLanguage
from cases.models.referrals import Referral, ReferralReason, Urgency
from cases.models.risk import RiskFlag
from cases.models.timeline import TimelineEvent, Visibility

__all__ = [
    "Case",
    "CaseShare",
    "ConsentRecord",
    "CoordinationNote",
    "Household",
    "Person",
    "PersonLanguage",
    "ReferenceCounter",
    "Referral",
    "ReferralReason",
    "RiskFlag",
    "RiskLevel",
    "TimelineEvent",
    "Urgency",
    "Visibility",
]
