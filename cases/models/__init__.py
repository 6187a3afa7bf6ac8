from cases.models.activities import ActivitySession, Attendance, Enrolment, GroupActivity
from cases.models.cases import Case, CaseShare, ReferenceCounter, RiskLevel
from cases.models.consultations import Consultation, ConsultationAddendum
from cases.models.notes import CoordinationNote
from cases.models.orientations import Orientation, OrientationOutcome, OrientationStatus
from cases.models.permanences import (
    PermanenceBooking,
    PermanenceSession,
    PermanenceSlot,
    SlotAttendance,
    SlotRequest,
)
from cases.models.persons import ConsentRecord, Household, Person, PersonLanguage
from cases.models.referrals import Referral, ReferralReason, Urgency
from cases.models.risk import RiskAssessment, RiskFlag, SafetyPlan
from cases.models.screenings import Instrument, Screening
from cases.models.timeline import TimelineEvent, Visibility

__all__ = [
    "ActivitySession",
    "Attendance",
    "Case",
    "CaseShare",
    "ConsentRecord",
    "Consultation",
    "ConsultationAddendum",
    "CoordinationNote",
    "Enrolment",
    "GroupActivity",
    "Household",
    "Instrument",
    "Orientation",
    "OrientationOutcome",
    "OrientationStatus",
    "PermanenceBooking",
    "PermanenceSession",
    "PermanenceSlot",
    "Person",
    "PersonLanguage",
    "ReferenceCounter",
    "Referral",
    "ReferralReason",
    "RiskAssessment",
    "RiskFlag",
    "RiskLevel",
    "SafetyPlan",
    "Screening",
    "SlotAttendance",
    "SlotRequest",
    "TimelineEvent",
    "Urgency",
    "Visibility",
]
