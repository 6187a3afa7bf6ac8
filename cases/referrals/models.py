import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.case_file.models import Case
from cases.persons.models import FamilyRelation, Household, Person, Sex, phone_validator
from cases.persons.nationality import NationalityCountries
from integrapsy.accounts.models import Organisation, Team
from integrapsy.directory.models import Language, Location
from integrapsy.fields import ref
from integrapsy.validators import validate_name_characters


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    PRIORITY = "priority", _("Priority")
    URGENT = "urgent", _("Urgent")


class ReferralReason(models.TextChoices):
    DESPAIR = "despair", _("Despair")
    ANXIETY = "anxiety", _("Anxiety")
    DEPRESSIVE_MOOD = "depressive_mood", _("Depressive mood")
    SLEEP = "sleep", _("Sleep problems")
    ADDICTION = "addiction", _("Addiction")
    TRAUMA = "trauma", _("Trauma / post-traumatic stress")
    SUICIDAL_THOUGHTS = "suicidal_thoughts", _("Suicidal thoughts")
    OTHER = "other", _("Other")


def reason_labels(codes) -> list[str]:
    """The labels of referral reasons in the active language (a code no longer known stays as it is)."""
    return [str(ReferralReason(c).label) if c in ReferralReason.values else str(c) for c in codes or ()]


class Referral(models.Model):
    """A reception centre's request that the team meets a person."""

    # How the person agreed to be referred: what a referral records, and each family member's shares.
    CONSENT_FIELDS = (
        "consent_given",
        "consent_date",
        "consent_method",
        "consent_language",
        "consent_through_interpreter",
    )

    TEAM_PATH = "team"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Received")
        INFO_REQUESTED = "info_requested", _("More information requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class ConsentMethod(models.TextChoices):
        ORAL = "oral", _("Orally")
        WRITTEN = "written", _("In writing (signed form)")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("team"))
    organisation = ref(Organisation, _("referring organisation"), related_name="referrals")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_referrals"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)

    # The person as the centre knows them.
    first_name = models.CharField(_("first name"), max_length=100, validators=[validate_name_characters])
    last_name = models.CharField(_("last name"), max_length=100, blank=True, validators=[validate_name_characters])
    alias = models.CharField(
        _("alias or preferred name"), max_length=100, blank=True, validators=[validate_name_characters]
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.OTHER)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth (estimated)"), null=True, blank=True)
    unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), default=False)
    nationality = CountryField(_("nationality"), countries=NationalityCountries, blank=True)
    # What was written before nationalities were codes, when it named no known country: an
    # administrator picks the country ("Nationalities to resolve"), which clears it.
    nationality_original = models.CharField(
        _("nationality as first written"), max_length=100, blank=True, editable=False
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages spoken"))
    main_language = ref(Language, _("main language"), optional=True, related_name="+")
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)
    interpreter_language = ref(Language, _("interpreting language"), optional=True, related_name="+")
    location = ref(Location, _("where the person lives"), optional=True, related_name="+")

    reasons = models.JSONField(_("reasons"), default=list)
    reason_other = models.CharField(_("other reason"), max_length=255, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    actions_taken = models.TextField(_("what the centre has already done"), max_length=2000, blank=True)

    consent_given = models.BooleanField(_("the person agrees to this referral"), default=False)
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    consent_language = ref(Language, _("consent language"), optional=True, related_name="+")
    consent_through_interpreter = models.BooleanField(_("consent given through an interpreter"), default=False)

    received_at = models.DateTimeField(_("received"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.CharField(_("reason for declining (shown to the referrer)"), max_length=500, blank=True)
    info_request = models.TextField(_("information requested"), max_length=2000, blank=True)
    info_response = models.TextField(_("answer from the centre"), max_length=2000, blank=True)
    first_contact_on = models.DateField(_("first contact"), null=True, blank=True)
    # Suicidal thoughts or an urgent request: set on submission by the service.
    alarm = models.BooleanField(_("needs immediate attention"), default=False, editable=False)
    # An urgent referral stays on the coordinators' banner until one of them takes it.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)

    person = ref(Person, _("person"), optional=True, related_name="referrals")
    # A family referred on one form: one referral per person, all in one household; each one's
    # relation is who they are to the first person of the form (blank for that person).
    household = ref(Household, _("household"), optional=True, on_delete=models.SET_NULL, related_name="referrals")
    household_relation = models.CharField(
        _("relation to the first person referred"), max_length=10, choices=FamilyRelation.choices, blank=True
    )
    case = ref(Case, _("case"), optional=True, related_name="referrals")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["team", "status", "received_at"], name="referral_inbox"),
            models.Index(fields=["organisation", "-received_at"], name="referral_by_org"),
            # The inbox's "recently decided" list.
            models.Index(fields=["team", "-decided_at"], name="referral_team_decided"),
            # The dashboard's days to first contact: the team's contacted referrals of a period,
            # read from the index alone (PostgreSQL).
            models.Index(
                fields=["team", "received_at"],
                include=["first_contact_on"],
                condition=Q(first_contact_on__isnull=False),
                name="referral_first_contact",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="referral_needs_consent",
                condition=Q(consent_given=True),
                violation_error_message=_("A referral needs the person's consent."),
            ),
            models.CheckConstraint(
                name="referral_accepted_has_case",
                condition=~Q(status="accepted") | Q(case__isnull=False, person__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.INFO_REQUESTED)
