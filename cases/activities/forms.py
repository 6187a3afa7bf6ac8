from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Enrolment, GroupActivity
from integrapsy import forms as core_forms
from integrapsy.accounts.models import Team, User
from integrapsy.directory.models import Language, Location
from integrapsy.forms import DateTimeInput


class ActivityForm(forms.Form):
    team = core_forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupActivity.Kind.choices)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    location = core_forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)
    place = forms.CharField(
        label=_("Place details"),
        max_length=200,
        required=False,
        help_text=_("Room, address or meeting point."),
    )
    facilitators = core_forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Psychologists, ambassadors and other members of the team."),
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=200)
    languages = core_forms.ModelMultipleChoiceField(
        label=_("Languages"),
        queryset=Language.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    interpreter_needs = forms.CharField(
        label=_("Interpreter needs"),
        max_length=255,
        required=False,
        help_text=_("e.g. a Tigrinya interpreter at every session."),
    )
    first_session_at = forms.DateTimeField(label=_("First session"), widget=DateTimeInput(), required=False)
    sessions_count = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=52,
        initial=1,
        help_text=_("1 for a one-off activity."),
    )
    every_days = forms.IntegerField(label=_("Every (days)"), min_value=1, max_value=90, initial=7)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=600, initial=90)

    def __init__(self, *args, teams, facilitators, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
        self.fields["facilitators"].queryset = facilitators
        self.fields["location"].queryset = locations
        self.fields["languages"].queryset = Language.objects.filter(is_active=True).order_by("name_fr", "variety")


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=600, initial=90)


class CaseChoiceField(core_forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        return f"{obj.person.display_name} — {obj.reference}"


class EnrolForm(forms.Form):
    case = CaseChoiceField(label=_("Person"), queryset=Case.objects.none())
    waiting_list = forms.BooleanField(
        label=_("If the activity is full, put the person on the waiting list"), required=False
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class EnrolmentChoiceField(core_forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.case.person.display_name} — {obj.case.reference}"


class AttendanceForm(forms.Form):
    present = EnrolmentChoiceField(
        label=_("Who came"),
        queryset=Enrolment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = enrolments
