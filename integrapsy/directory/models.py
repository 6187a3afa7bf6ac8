import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from integrapsy.accounts.models import Country, Organisation, Team
from integrapsy.fields import ref


class Language(models.Model):
    """A language (ISO 639-3) and, optionally, one of its varieties or dialects."""

    code = models.CharField(
        _("ISO 639-3 code"), max_length=3, help_text=_("Three lower-case letters, e.g. tir, apd, prs.")
    )
    variety = models.CharField(_("variety or dialect"), max_length=100, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en", "variety"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["code", "variety"], name="language_unique_code_variety"),
            models.CheckConstraint(
                name="language_code_is_iso639_3",
                condition=Q(code__regex=r"^[a-z]{3}$"),
                violation_error_message=_("The code must be three lower-case letters (ISO 639-3)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (French when unknown)."""
        return self.name_of(self.name_fr, self.name_nl, self.name_en)

    @staticmethod
    def name_of(name_fr: str, name_nl: str, name_en: str) -> str:
        """A language's name in the active language (also for rows read without the model)."""
        lang = (get_language() or "fr")[:2]
        return {"nl": name_nl, "en": name_en}.get(lang, name_fr)


class Location(models.Model):
    """A place where the team intervenes."""

    TEAM_PATH = "team"

    class Kind(models.TextChoices):
        RECEPTION_CENTRE = "reception_centre", _("Reception centre")
        DIFFUSE_HOUSING = "diffuse_housing", _("Diffuse housing")
        CITIZEN_RECEPTION = "citizen_reception", _("Citizen reception space")
        OFFICE = "office", _("Team office")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="locations", verbose_name=_("team"))
    organisation = ref(Organisation, _("run by"), optional=True, on_delete=models.SET_NULL, related_name="locations")
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="location_unique_name_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class Resource(models.Model):
    """A specialised service people can be oriented to."""

    class Kind(models.TextChoices):
        THERAPIST = "therapist", _("Therapist")
        PSYCHOLOGIST = "psychologist", _("Psychologist")
        MENTAL_HEALTH_CENTRE = "mental_health_centre", _("Mental-health centre")
        HOSPITAL = "hospital", _("Hospital")
        ADDICTION = "addiction", _("Addiction service")
        ASSOCIATION = "association", _("Association")
        LEGAL_AID = "legal_aid", _("Legal aid (foreign-nationals law)")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    area = models.CharField(
        _("department or province"),
        max_length=100,
        blank=True,
        help_text=_("e.g. Nord, Pas-de-Calais, Hainaut"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="resources", verbose_name=_("languages"))
    accepts_without_papers = models.BooleanField(_("accepts people without papers"), default=False)
    free_of_charge = models.BooleanField(_("free of charge"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.UniqueConstraint(fields=["name", "city"], name="resource_unique_name_city"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"
