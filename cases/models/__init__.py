from cases.models.cases import Case, CaseShare, ReferenceCounter, RiskLevel
from cases.models.consultations import Consultation, ConsultationAddendum
from cases.models.notes import CoordinationNote
from cases.models.permanences import Attendance, PermanenceBooking, PermanenceSession, PermanenceSlot
from cases.models.persons import ConsentRecord, Household, Person, PersonLanguage
from cases.models.referrals import Referral, ReferralReason, Urgency
from cases.models.risk import RiskAssessment, RiskFlag, SafetyPlan
from cases.models.timeline import TimelineEvent, Visibility

__all__ = [
    "Attendance",
    "Consultation",
    "ConsultationAddendum",
    "PermanenceBooking",
    "PermanenceSession",
    "PermanenceSlot",
    "RiskAssessment",
    "SafetyPlan",
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
