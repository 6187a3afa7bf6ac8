import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.persons.nationality import NationalityCountries
from integrapsy.directory.models import Language, Location
from integrapsy.fields import ref
from integrapsy.validators import validate_name_characters

ADULT_AGE = 18


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 .\-()]{5,22}$",
    message=_("Enter a phone number: digits, spaces and an optional leading +, e.g. +33 6 12 34 56 78."),
)


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / not stated")


class Household(models.Model):
    """Family members followed together."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("household"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.label


class Person(models.Model):
    """A person in exile known to a team."""

    # Who the person is, as a referral states it before a person exists and as the identity form
    # changes it: the same fields, in this order, on both.
    IDENTITY_FIELDS = (
        "first_name",
        "last_name",
        "alias",
        "sex",
        "birth_date",
        "birth_year",
        "unaccompanied_minor",
        "nationality",
        "phone",
    )

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100, validators=[validate_name_characters])
    last_name = models.CharField(_("last name"), max_length=100, blank=True, validators=[validate_name_characters])
    alias = models.CharField(
        _("alias or preferred name"), max_length=100, blank=True, validators=[validate_name_characters]
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.OTHER)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth (estimated)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), default=False)
    nationality = CountryField(_("nationality"), countries=NationalityCountries, blank=True)
    # What was written before nationalities were codes, when it named no known country: an
    # administrator picks the country ("Nationalities to resolve"), which clears it.
    nationality_original = models.CharField(
        _("nationality as first written"), max_length=100, blank=True, editable=False
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    location = ref(Location, _("current location"), optional=True, on_delete=models.SET_NULL, related_name="persons")
    household = ref(Household, _("household"), optional=True, on_delete=models.SET_NULL, related_name="members")
    languages = models.ManyToManyField(
        Language, through="PersonLanguage", related_name="persons", verbose_name=_("languages")
    )
    # Transliteration-tolerant keys of the names, kept by the services for duplicate search.
    first_name_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    last_name_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    alias_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    merged_into = ref("self", _("merged into"), optional=True, related_name="merged_persons")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(name="person_not_merged_into_self", condition=~Q(merged_into=models.F("id"))),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_of(self.first_name, self.last_name, self.alias)

    @staticmethod
    def name_of(first_name: str, last_name: str, alias: str) -> str:
        """How a person is named on a page (also for rows read without the model)."""
        name = f"{first_name} {last_name}".strip()
        return f"{name} « {alias} »" if alias else name

    @property
    def estimated_birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year

    def age_on(self, day: date) -> int | None:
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        if self.birth_year:
            return day.year - self.birth_year
        return None

    def is_minor_on(self, day: date) -> bool:
        age = self.age_on(day)
        return age is not None and age < ADULT_AGE


class FamilyRelation(models.TextChoices):
    """Who a relative is to a person (``HouseholdLink.relation``)."""

    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Brother or sister")
    SPOUSE = "spouse", _("Spouse or partner")
    GUARDIAN = "guardian", _("Guardian / reference adult")
    WARD = "ward", _("Minor in their care")
    OTHER = "other", _("Other family member")


# How the link reads from the relative's side: the parent of a child is that child's parent.
INVERSE_RELATION = {
    FamilyRelation.PARENT: FamilyRelation.CHILD,
    FamilyRelation.CHILD: FamilyRelation.PARENT,
    FamilyRelation.GUARDIAN: FamilyRelation.WARD,
    FamilyRelation.WARD: FamilyRelation.GUARDIAN,
}


class HouseholdLink(models.Model):
    """Two persons of one household: ``relative`` is ``person``'s ``relation`` (stored once per pair)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_links")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_links_as_relative")
    relation = models.CharField(_("relation"), max_length=10, choices=FamilyRelation.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("family link")
        verbose_name_plural = _("family links")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="householdlink_unique"),
            models.CheckConstraint(name="householdlink_not_self", condition=~Q(person=models.F("relative"))),
        ]

    def __str__(self) -> str:
        return self.get_relation_display()

    def relation_seen_from(self, person_id: int) -> str:
        """The relation as ``person_id`` reads it: who the other one is to them."""
        if person_id == self.person_id:
            return self.relation
        return INVERSE_RELATION.get(self.relation, self.relation)


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("language"))
    is_main = models.BooleanField(_("main language"), default=False)

    class Meta:
        verbose_name = _("language spoken")
        verbose_name_plural = _("languages spoken")
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="personlanguage_unique"),
            models.UniqueConstraint(fields=["person"], condition=Q(is_main=True), name="personlanguage_one_main"),
        ]

    def __str__(self) -> str:
        return str(self.language)


class ConsentRecord(models.Model):
    """The person's consent, recorded per purpose."""

    class Purpose(models.TextChoices):
        REFERRAL = "referral", _("Referral to the psychosocial team")
        FOLLOW_UP = "follow_up", _("Psychosocial follow-up")
        SHARING = "sharing", _("Sharing with another team or service")
        INTERPRETER = "interpreter", _("Working with an interpreter")
        DATA_PROCESSING = "data_processing", _("Processing of personal data")
        TEXT_REMINDERS = "text_reminders", _("Text reminders of appointments")

    class Method(models.TextChoices):
        ORAL = "oral", _("Orally")
        WRITTEN = "written", _("In writing (signed form)")
        TEXT = "text", _("By text message")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    given = models.BooleanField(_("consent given"))
    given_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    language = ref(Language, _("in which language"), optional=True, related_name="+")
    through_interpreter = models.BooleanField(_("through an interpreter"), default=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # None when the person withdrew it themselves (a STOP answered to a text reminder).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-recorded_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "purpose", "-given_on"], name="consent_person_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.given}"
