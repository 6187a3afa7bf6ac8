from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrapsy import clock
from integrapsy import forms as core_forms
from integrapsy.directory.models import Language, Location
from integrapsy.forms import DateInput, DateTimeInput, TimeInput
from interpreters.models import (
    BookingStatus,
    GenderPreference,
    Interpreter,
    Mode,
    NoShowParty,
    ServesKind,
)


def _aware(day, moment):
    return timezone.make_aware(datetime.combine(day, moment))


class InterpreterChoiceField(core_forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj.user)


class BookingRequestForm(forms.Form):
    case = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=20,
        help_text=_("e.g. IP-2026-00042. Leave empty for a booking that serves no case."),
    )
    team = core_forms.ModelChoiceField(label=_("Team"), queryset=None)
    serves_kind = forms.ChoiceField(label=_("The interpreter is needed for"), choices=ServesKind.choices)
    language = core_forms.ModelChoiceField(label=_("Language or dialect"), queryset=Language.objects.none())
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.ON_SITE)
    location = core_forms.ModelChoiceField(
        label=_("Place"),
        required=False,
        queryset=Location.objects.none(),
        help_text=_("Needed for an on-site booking."),
    )
    location_detail = forms.CharField(label=_("Room or access details"), required=False, max_length=200)
    day = forms.DateField(label=_("Day"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Start"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("End"), widget=TimeInput())
    gender_preference = forms.ChoiceField(
        label=_("Interpreter's gender"), required=False, choices=GenderPreference.choices
    )
    same_as_before = forms.BooleanField(
        label=_("The same interpreter as before, if possible"), required=False, initial=True
    )
    excluded_interpreters = InterpreterChoiceField(
        label=_("Interpreters the person does not want"),
        required=False,
        queryset=Interpreter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("e.g. someone from their community. The person's wish holds for their later bookings too."),
    )
    briefing = forms.CharField(
        label=_("Briefing for the interpreter"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Practical context only (who, where, how to behave). No clinical detail."),
    )

    def __init__(self, *args, teams, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
            self.fields["team"].widget = forms.HiddenInput()
        self.fields["language"].queryset = Language.objects.filter(is_active=True).order_by("name_fr", "variety")
        self.fields["location"].queryset = locations
        self.fields["excluded_interpreters"].queryset = (
            Interpreter.objects.filter(is_active=True).select_related("user").order_by("user__last_name")
        )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("starts_at"), data.get("ends_at")
        if day and start and end:
            data["starts_at"] = _aware(day, start)
            data["ends_at"] = _aware(day, end)
        return data


class ChooseInterpreterForm(forms.Form):
    interpreter = forms.UUIDField(widget=forms.HiddenInput)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=200,
        help_text=_("e.g. not free, too far. No need to say more."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw?"),
        max_length=255,
        help_text=_("e.g. ill, another emergency. The team reads it to find someone else."),
        error_messages={"required": _("Say why you withdraw, so the team can find someone else.")},
    )


class CompleteForm(forms.Form):
    actual_start = forms.DateTimeField(label=_("Actual start"), widget=DateTimeInput())
    minutes = forms.IntegerField(label=_("Minutes interpreted"), min_value=1, max_value=720)

    def __init__(self, *args, booking, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "actual_start": timezone.localtime(booking.starts_at).replace(tzinfo=None),
                "minutes": booking.planned_minutes,
            },
        )
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the cancellation"), max_length=255)


class NoShowForm(forms.Form):
    party = forms.ChoiceField(label=_("Who did not come"), choices=NoShowParty.choices, widget=forms.RadioSelect)


class BookingFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All"))],
        widget=core_forms.Select,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + BookingStatus.choices, widget=core_forms.Select
    )


class UnavailabilityForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("From"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Until"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=120)


class TimesheetForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    interpreter = core_forms.ModelChoiceField(
        label=_("Interpreter"),
        required=False,
        queryset=Interpreter.objects.none(),
        empty_label=_("All"),
        to_field_name="code",
    )

    def __init__(self, *args, interpreters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter"].queryset = interpreters

    def month_or_current(self):
        month = self.cleaned_data.get("month") if self.is_valid() else None
        return month or clock.localdate().replace(day=1)


def default_booking_initial() -> dict:
    tomorrow = clock.localdate() + timedelta(days=3)
    return {"day": tomorrow, "same_as_before": True, "mode": Mode.ON_SITE}


class BookingPrefillForm(forms.Form):
    """What another page (the language-support planner) may fill in through the request form's address."""

    language = forms.ModelChoiceField(queryset=Language.objects.none(), required=False)
    serves_kind = forms.ChoiceField(choices=ServesKind.choices, required=False)
    mode = forms.ChoiceField(choices=Mode.choices, required=False)
    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False)
    day = forms.DateField(required=False)
    starts_at = forms.TimeField(required=False)
    ends_at = forms.TimeField(required=False)
    gender_preference = forms.ChoiceField(choices=GenderPreference.choices, required=False)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = Language.objects.filter(is_active=True)
        self.fields["location"].queryset = locations


def booking_prefill(query, *, locations) -> dict:
    """The values of ``query`` that are valid for the request form; anything else is left out."""
    form = BookingPrefillForm(query, locations=locations)
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
