from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors import planner
from ambassadors.models import (
    MAX_CONTACT_MINUTES,
    Ambassador,
    AmbassadorLanguage,
    Assignment,
    Contact,
    Gender,
    Requirement,
    Slot,
    SupportActivity,
    TrainingModule,
)
from integrapsy import forms as core_forms
from integrapsy.accounts.models import Team, User
from integrapsy.directory.models import Language, Location
from integrapsy.forms import DateInput, DateTimeInput, TimeInput, active_languages


class AmbassadorForm(forms.Form):
    """The profile; languages are given as one "level" choice per language spoken."""

    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    mother_tongues = core_forms.ModelMultipleChoiceField(
        label=_("Mother tongues"), queryset=Language.objects.none(), required=False
    )
    fluent_languages = core_forms.ModelMultipleChoiceField(
        label=_("Fluent"), queryset=Language.objects.none(), required=False
    )
    working_languages = core_forms.ModelMultipleChoiceField(
        label=_("Working knowledge"), queryset=Language.objects.none(), required=False
    )
    territories = core_forms.ModelMultipleChoiceField(
        label=_("Territories"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The places where the ambassador usually goes."),
    )
    availability = forms.MultipleChoiceField(
        label=_("Weekly availability"), choices=Slot.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    max_active_assignments = forms.IntegerField(label=_("Maximum active assignments"), min_value=1, max_value=30)
    started_on = forms.DateField(label=_("Start date"), widget=DateInput())
    presentation = forms.CharField(
        label=_("Short presentation"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to colleagues: background, what they like to do. Nothing private."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("mother_tongues", "fluent_languages", "working_languages"):
            self.fields[name].queryset = active_languages()
        self.fields["territories"].queryset = locations

    def clean(self):
        data = super().clean()
        seen: set[int] = set()
        for name in ("mother_tongues", "fluent_languages", "working_languages"):
            for lang in data.get(name) or []:
                if lang.pk in seen:
                    self.add_error(name, _("%(lang)s is given at two levels: keep one.") % {"lang": lang})
                seen.add(lang.pk)
        if not seen and not self.errors:
            self.add_error("mother_tongues", _("Give at least one language the ambassador speaks."))
        return data

    def languages(self) -> list[tuple[Language, str]]:
        data = self.cleaned_data
        levels = (
            ("mother_tongues", AmbassadorLanguage.Level.NATIVE),
            ("fluent_languages", AmbassadorLanguage.Level.FLUENT),
            ("working_languages", AmbassadorLanguage.Level.WORKING),
        )
        return [(lang, level) for name, level in levels for lang in data.get(name) or []]

    def profile_fields(self) -> dict:
        keys = ("gender", "availability", "max_active_assignments", "started_on", "presentation", "is_active")
        return {k: self.cleaned_data[k] for k in keys}

    @staticmethod
    def initial_for(ambassador: Ambassador) -> dict:
        by_level: dict[str, list[Language]] = {}
        for al in ambassador.ambassador_languages.all():
            by_level.setdefault(al.level, []).append(al.language)
        return {
            "gender": ambassador.gender,
            "mother_tongues": by_level.get("native", []),
            "fluent_languages": by_level.get("fluent", []),
            "working_languages": by_level.get("working", []) + by_level.get("basic", []),
            "territories": list(ambassador.territories.all()),
            "availability": ambassador.availability,
            "max_active_assignments": ambassador.max_active_assignments,
            "started_on": ambassador.started_on,
            "presentation": ambassador.presentation,
            "is_active": ambassador.is_active,
        }


class AmbassadorNewForm(AmbassadorForm):
    user = core_forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    team = core_forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    field_order = ["user", "team"]

    def __init__(self, *args, users, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()


class AssignmentForm(forms.Form):
    ambassador = core_forms.ModelChoiceField(label=_("Ambassador"), queryset=Ambassador.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)
    starts_on = forms.DateField(label=_("Start"), widget=DateInput(), initial=timezone.localdate)
    planned_end_on = forms.DateField(label=_("Planned end"), widget=DateInput(), required=False)
    over_limit_reason = forms.CharField(
        label=_("Reason for going beyond the maximum"),
        required=False,
        max_length=255,
        help_text=_("Only needed when the ambassador already has as many assignments as their maximum."),
    )

    def __init__(self, *args, ambassadors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ambassador"].queryset = ambassadors
        self.fields["ambassador"].to_field_name = "code"


class AssignmentEndForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why it ends"), choices=[c for c in Assignment.EndReason.choices if c[0] != "declined"]
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Why you decline (optional)"),
        required=False,
        max_length=255,
        help_text=_("For instance: not available on those days."),
    )


class ContactForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        # The service says why: a contact longer than 12 hours gets a clear message beside the field.
        max_value=60 * 24,
        help_text=_("At most 12 hours (720 minutes)."),
        widget=forms.NumberInput(attrs={"max": MAX_CONTACT_MINUTES}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Contact.Kind.choices)
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Practical and non-clinical: what was done, what is next. Nothing the person confided."),
    )


class TrainingSessionForm(forms.Form):
    module = core_forms.ModelChoiceField(label=_("Module"), queryset=TrainingModule.objects.order_by("order", "title"))
    team = core_forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=MAX_CONTACT_MINUTES)
    trainer = forms.CharField(label=_("Trainer"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()


class AttendanceForm(forms.Form):
    ambassadors = core_forms.ModelMultipleChoiceField(
        label=_("Present"), queryset=Ambassador.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, ambassadors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ambassadors"].queryset = ambassadors


class ModuleCompletionForm(forms.Form):
    module = core_forms.ModelChoiceField(label=_("Module"), queryset=TrainingModule.objects.none())
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules


PART_OF_DAY_CHOICES = [("", _("Any time")), ("am", _("Morning")), ("pm", _("Afternoon"))]
GENDER_PREFERENCE_CHOICES = [("", _("No preference")), ("F", _("A woman")), ("M", _("A man"))]


class PlannerForm(forms.Form):
    """What needs support: a case (or just a language), the activity, when and where."""

    case = forms.ChoiceField(
        label=_("Case"),
        required=False,
        widget=core_forms.Select,
        help_text=_("The most recent open cases; for an older one, open the planner from its case page."),
    )
    language = core_forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.none(),
        required=False,
        help_text=_("Leave empty to use the person's main language."),
    )
    activity = forms.ChoiceField(label=_("Activity"), choices=SupportActivity.choices, widget=core_forms.Select)
    day = forms.DateField(label=_("Day"), widget=DateInput(), required=False)
    part_of_day = forms.ChoiceField(
        label=_("Part of the day"), choices=PART_OF_DAY_CHOICES, required=False, widget=core_forms.Select
    )
    starts_at = forms.TimeField(label=_("Start time"), widget=TimeInput(), required=False)
    ends_at = forms.TimeField(label=_("End time"), widget=TimeInput(), required=False)
    mode = forms.ChoiceField(
        label=_("Interpreting mode"),
        choices=planner.MODE_CHOICES,
        initial=planner.Mode.ON_SITE,
        required=False,
        widget=core_forms.Select,
    )
    location = core_forms.ModelChoiceField(
        label=_("Place"),
        queryset=Location.objects.none(),
        required=False,
        help_text=_("Leave empty to use the person's place."),
    )
    gender_preference = forms.ChoiceField(
        label=_("The person prefers"), choices=GENDER_PREFERENCE_CHOICES, required=False, widget=core_forms.Select
    )

    def __init__(self, *args, cases, locations, options: dict[str, list], case_named: bool = False, **kwargs):
        """``locations``: the places the user may choose (a queryset, read only to check a place
        sent); ``options``: the languages and places drawn (``selectors.planner_options``);
        ``case_named``: ``cases`` is the one case the planner was opened for."""
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("No case (a drop-in or a group)")), *cases]
        if case_named:
            self.fields["case"].help_text = _(
                "The case planned for. For another case, follow the link below: what else you chose is kept."
            )
        self.fields["language"].queryset = active_languages()
        self.fields["location"].queryset = locations
        for name in ("language", "location"):
            core_forms.draw_options(self.fields[name], options[name])

    def clean(self):
        data = super().clean()
        if not data.get("case") and not data.get("language"):
            self.add_error("language", _("Choose a case or a language."))
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must be after the start."))
        if (start or end) and not data.get("day"):
            self.add_error("day", _("Choose the day too."))
        data["mode"] = data.get("mode") or planner.Mode.ON_SITE
        return data


class SupportRuleForm(forms.Form):
    requirement = forms.ChoiceField(label=_("Who may support"), choices=Requirement.choices)
    explanation = forms.CharField(label=_("Why"), required=False, max_length=255)
