from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import OrientationStatus
from integrapsy import forms as core_forms
from integrapsy.accounts.models import Country
from integrapsy.directory.models import Language, Resource
from integrapsy.forms import DateInput, active_languages


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + Resource.Kind.choices)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[("", _("All"))] + Country.choices)
    area = forms.CharField(
        label=_("Department, province or city"),
        required=False,
        max_length=100,
        help_text=_("e.g. Nord, Lille"),
    )
    language = core_forms.ModelChoiceField(
        label=_("Language spoken"), required=False, queryset=Language.objects.none(), empty_label=_("All")
    )
    without_papers = forms.BooleanField(label=_("Accepts people without papers"), required=False)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    case = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = active_languages()


class ResourceForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Resource
        fields = [
            "name",
            "kind",
            "country",
            "area",
            "city",
            "address",
            "phone",
            "email",
            "website",
            "languages",
            "accepts_without_papers",
            "free_of_charge",
            "notes",
            "is_active",
        ]
        widgets = {
            "languages": forms.SelectMultiple(attrs={"size": 8}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "notes": _("Opening hours, how to make an appointment, costs. No personal data."),
            "is_active": _("Untick to take it out of the directory; past orientations keep it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].queryset = active_languages()

    def _get_validation_exclusions(self):
        # The service checks that the name is unique in its city, and says so beside the name.
        return super()._get_validation_exclusions() | {"name"}


class OrientationForm(forms.Form):
    resource = core_forms.ModelChoiceField(label=_("Resource"), queryset=Resource.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("A short, non-clinical summary: the team and the service may read it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_to_share = forms.BooleanField(
        label=_("The person agrees that we share information with the service"), required=False
    )
    what_was_sent = forms.CharField(
        label=_("What was sent"),
        max_length=255,
        required=False,
        help_text=_("e.g. orientation letter, phone call, summary of the needs assessment."),
    )
    proposed_on = forms.DateField(label=_("Proposed on"), widget=DateInput(), initial=timezone.localdate)
    sent_on = forms.DateField(
        label=_("Sent to the service on"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty if nothing is sent yet."),
    )

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[c for c in OrientationStatus.choices if c[0] != OrientationStatus.PROPOSED],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("On"), widget=DateInput(), initial=timezone.localdate)
    appointment_on = forms.DateField(
        label=_("Appointment date"),
        widget=DateInput(),
        required=False,
        help_text=_("For “Appointment made”."),
    )
    refusal_reason = forms.CharField(
        label=_("Why the service refused"),
        max_length=255,
        required=False,
        help_text=_("For “Refused by the service”."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
