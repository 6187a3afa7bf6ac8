import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integrapsy.fields import ref


class Country(models.TextChoices):
    FRANCE = "FR", _("France")
    BELGIUM = "BE", _("Belgium")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    AMBASSADOR = "ambassador", _("Integration Ambassador")
    INTERPRETER = "interpreter", _("Interpreter")
    REFERRER = "referrer", _("Referrer")
    ADMIN = "admin", _("Administrator")


# Roles held within a mobile team, and roles held on behalf of an outside organisation.
TEAM_ROLES = frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER, Role.AMBASSADOR})
ORGANISATION_ROLES = frozenset({Role.INTERPRETER, Role.REFERRER})


class Organisation(models.Model):
    class Kind(models.TextChoices):
        OPERATOR = "operator", _("Operator")
        INTERPRETING_SERVICE = "interpreting_service", _("Interpreting service")
        RECEPTION_CENTRE = "reception_centre", _("Reception centre")
        PARTNER = "partner", _("Association / partner")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    TEAM_PATH = "pk"  # for the access policy: a team is its own team

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation = ref(
        Organisation, _("operator"), related_name="teams", limit_choices_to={"kind": Organisation.Kind.OPERATOR}
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("fr", "Français"), ("nl", "Nederlands"), ("en", "English")],
        default="fr",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation = ref(Organisation, _("organisation"), optional=True, related_name="users")
    # Set on accounts an administrator creates: the password they chose is not the user's own.
    must_change_password = models.BooleanField(
        _("must change the password at the next sign-in"),
        default=False,
        help_text=_("Until then, every page leads to the password change."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name_of(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(first_name: str | None, last_name: str | None, username: str | None) -> str:
        """How a user is named (their full name, else their username), also for rows read
        without the model; "" for no user (a row's empty join)."""
        return f"{first_name or ''} {last_name or ''}".strip() or username or ""


class Membership(models.Model):
    """A role a user holds: within a team (operator staff) or for an organisation."""

    TEAM_PATH = "team"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = ref(Team, _("team"), optional=True, on_delete=models.CASCADE, related_name="memberships")
    organisation = ref(
        Organisation, _("organisation"), optional=True, on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=sorted(TEAM_ROLES), team__isnull=False, organisation__isnull=True)
                    | Q(
                        role__in=sorted(ORGANISATION_ROLES),
                        team__isnull=True,
                        organisation__isnull=False,
                    )
                    | Q(role=Role.ADMIN, team__isnull=True, organisation__isnull=True)
                ),
                violation_error_message=_(
                    "Team roles need a team, interpreter and referrer roles an organisation, "
                    "the administrator role neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "team"],
                condition=Q(team__isnull=False),
                name="membership_unique_team_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="membership_unique_organisation_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(team__isnull=True, organisation__isnull=True),
                name="membership_unique_global_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.team or self.organisation
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")
