from cases.models.activities import ActivitySession, Attendance, Enrolment, GroupActivity
from cases.models.cases import Case, CaseShare, ReferenceCounter, RiskLevel
from cases.models.notes import CoordinationNote
from cases.models.orientations import Orientation, OrientationOutcome, OrientationStatus
from cases.models.persons import ConsentRecord, Household, Person, PersonLanguage
from cases.models.referrals import Referral, ReferralReason, Urgency
from cases.models.risk import RiskFlag
from cases.models.screenings import Instrument, Screening
from cases.models.timeline import TimelineEvent, Visibility

__all__ = [
    "ActivitySession",
    "Attendance",
    "Case",
    "CaseShare",
    "ConsentRecord",
    "CoordinationNote",
    "Enrolment",
    "GroupActivity",
    "Household",
    "Instrument",
    "Orientation",
    "OrientationOutcome",
    "OrientationStatus",
    "Person",
    "PersonLanguage",
    "ReferenceCounter",
    "Referral",
    "ReferralReason",
    "RiskFlag",
    "RiskLevel",
    "Screening",
    "TimelineEvent",
    "Urgency",
    "Visibility",
]
