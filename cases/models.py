"""Every feature's models, so that ``from cases.models import X`` finds them in one place."""

from cases.activities.models import ActivitySession, Attendance, Enrolment, GroupActivity
from cases.case_file.models import Case, CaseShare, CoordinationNote, ReferenceCounter, RiskLevel
from cases.consultations.models import Consultation, ConsultationAddendum
from cases.orientations.models import Orientation, OrientationOutcome, OrientationStatus
from cases.permanences.models import (
    PermanenceBooking,
    PermanenceSession,
    PermanenceSlot,
    SlotAttendance,
    SlotRequest,
)
from cases.persons.models import ConsentRecord, FamilyRelation, Household, HouseholdLink, Person, PersonLanguage
from cases.referrals.models import Referral, ReferralReason, Urgency
from cases.reminders.models import Reminder, ReminderSettings, ReminderTemplate, TextContact, WebhookReceipt
from cases.risk.models import RiskAssessment, RiskFlag, SafetyPlan
from cases.screenings.models import Instrument, Screening
from cases.timeline.models import TimelineEvent, Visibility

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
    "FamilyRelation",
    "Household",
    "HouseholdLink",
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
    "Reminder",
    "ReminderSettings",
    "ReminderTemplate",
    "RiskAssessment",
    "RiskFlag",
    "RiskLevel",
    "SafetyPlan",
    "Screening",
    "SlotAttendance",
    "SlotRequest",
    "TextContact",
    "TimelineEvent",
    "Urgency",
    "Visibility",
    "WebhookReceipt",
]
