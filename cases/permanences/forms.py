from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.models import PermanenceBooking, PermanenceSlot, SlotAttendance
from integrapsy import forms as core_forms
from integrapsy.accounts.models import User
from integrapsy.directory.models import Location
from integrapsy.forms import DateInput, TimeInput, active_languages


class UserChoiceField(core_forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)  # ``User.name_of``: the full name, else the username


class PermanenceSessionForm(forms.Form):
    location = core_forms.ModelChoiceField(label=_("Place"), queryset=Location.objects.none())
    date = forms.DateField(label=_("Date (first date of a series)"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start"), widget=TimeInput())
    end_time = forms.TimeField(label=_("End"), widget=TimeInput())
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), initial=45, min_value=5, max_value=240)
    walk_in_places = forms.IntegerField(
        label=_("Walk-in places"),
        initial=2,
        min_value=0,
        max_value=50,
        help_text=_("People who may come without an appointment."),
    )
    psychologist = UserChoiceField(label=_("Psychologist"), queryset=User.objects.none())
    ambassador = UserChoiceField(label=_("Ambassador present"), required=False, queryset=User.objects.none())
    interpreter = UserChoiceField(label=_("Interpreter present"), required=False, queryset=User.objects.none())
    interpreter_language = core_forms.ModelChoiceField(
        label=_("Interpreting language"), required=False, queryset=active_languages()
    )
    weeks = forms.IntegerField(
        label=_("Repeat every week for (weeks)"),
        initial=1,
        min_value=1,
        max_value=26,
        help_text=_("1 for a single session; e.g. 8 for the same day and time for 8 weeks."),
    )

    def __init__(self, *args, locations, psychologists, ambassadors, interpreters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["psychologist"].queryset = psychologists
        self.fields["ambassador"].queryset = ambassadors
        self.fields["interpreter"].queryset = interpreters
        self.fields["interpreter_language"].queryset = active_languages()


class WeekFilterForm(forms.Form):
    week = forms.DateField(label=_("Week of"), required=False, widget=DateInput())
    location = core_forms.ModelChoiceField(
        label=_("Place"),
        required=False,
        queryset=Location.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
    )
    psychologist = UserChoiceField(
        label=_("Psychologist"),
        required=False,
        queryset=User.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
    )

    def __init__(self, *args, locations, psychologists, options: dict[str, list], **kwargs):
        """``locations``, ``psychologists``: who may be chosen (querysets, read only to check a
        value sent); ``options``: the lists drawn (``selectors.week_filter_choices``)."""
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["psychologist"].queryset = psychologists
        for name in ("location", "psychologist"):
            core_forms.draw_options(self.fields[name], options[name])


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=255,
        help_text=_("The appointments of this session are cancelled with this reason."),
    )


class CaseChoiceField(core_forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.display_name} — {obj.reference}"


class _InterpreterFields(forms.Form):
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    interpreter_language = core_forms.ModelChoiceField(
        label=_("Interpreting language"), required=False, queryset=active_languages()
    )
    note = forms.CharField(
        label=_("Practical note"),
        required=False,
        max_length=255,
        help_text=_("Non-clinical, e.g. comes with her daughter."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter_language"].queryset = active_languages()


class SlotBookingForm(_InterpreterFields):
    field_order = ["case", "interpreter_needed", "interpreter_language", "note"]
    case = CaseChoiceField(label=_("Person"), queryset=None, to_field_name="reference")

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class SlotChoiceField(core_forms.ModelChoiceField):
    def label_from_instance(self, slot):
        session = slot.session
        day = date_format(session.date, "D d/m")
        psychologist = str(session.psychologist)
        return f"{day} {slot.start_time:%H:%M} — {session.location.name} ({psychologist})"


class CaseBookingForm(_InterpreterFields):
    field_order = ["slot", "interpreter_needed", "interpreter_language", "note"]
    slot = SlotChoiceField(
        label=_("Free slot"), queryset=None, to_field_name="code", widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots


class WalkInForm(SlotBookingForm):
    pass


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label=_("Attendance"), widget=forms.RadioSelect)
    cancelled_by_party = forms.ChoiceField(
        label=_("Cancelled by"),
        required=False,
        choices=[("", "—"), *PermanenceBooking.CancelledBy.choices],
    )
    cancel_reason = forms.CharField(label=_("Why it was cancelled"), required=False, max_length=255)

    def __init__(self, *args, may_record: bool, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = [SlotAttendance.ATTENDED, SlotAttendance.NO_SHOW] if may_record else []
        statuses.append(SlotAttendance.CANCELLED)
        self.fields["status"].choices = [(s.value, s.label) for s in statuses]


class SlotRequestForm(_InterpreterFields):
    """A referrer's request; the page lists the free slots by day and the service checks the one chosen."""

    field_order = ["slot", "interpreter_needed", "interpreter_language", "note"]
    # Any slot is accepted here, so that a slot gone meanwhile (booked, past, cancelled) gets
    # the service's clear message rather than "not one of the choices".
    slot = core_forms.ModelChoiceField(
        label=_("Slot"),
        queryset=PermanenceSlot.objects.none(),
        to_field_name="code",
        error_messages={"required": _("Choose a slot."), "invalid_choice": _("Choose one of the free slots.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = PermanenceSlot.objects.all()
        self.fields["interpreter_needed"].help_text = _("The team books a professional interpreter.")


class SlotFilterForm(forms.Form):
    location = core_forms.ModelChoiceField(
        label=_("Place"),
        required=False,
        queryset=Location.objects.none(),
        to_field_name="code",
        empty_label=_("All places"),
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class SlotRequestDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the referrer reads it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No clinical detail. You may suggest another day."),
    )
