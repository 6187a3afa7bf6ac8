from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Consultation, ReferralReason, RiskLevel
from cases.permanences.forms import UserChoiceField
from integrapsy import forms as core_forms
from integrapsy.accounts.models import User
from integrapsy.directory.models import Location
from integrapsy.forms import DateTimeInput, active_languages


class ConsultationForm(forms.Form):
    started_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=45, min_value=1, max_value=600)
    mode = forms.ChoiceField(label=_("Mode"), choices=Consultation.Mode.choices, widget=forms.RadioSelect)
    place = core_forms.ModelChoiceField(label=_("Place"), required=False, queryset=Location.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Consultation.Kind.choices)
    interpreter = UserChoiceField(label=_("Interpreter present"), required=False, queryset=User.objects.none())
    interpreter_language = core_forms.ModelChoiceField(
        label=_("Interpreting language"), required=False, queryset=active_languages()
    )
    ambassador = UserChoiceField(label=_("Ambassador present"), required=False, queryset=User.objects.none())
    social_worker = UserChoiceField(label=_("Social worker present"), required=False, queryset=User.objects.none())
    presenting_problems = forms.MultipleChoiceField(
        label=_("Presenting problems"),
        required=False,
        choices=ReferralReason.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Suicidal thoughts raise the case's risk flag when you sign."),
    )
    notes = forms.CharField(
        label=_("Notes (confidential)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Read only by the psychologists of the case's team."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    risk_level = forms.ChoiceField(
        label=_("Suicide risk assessed"),
        required=False,
        choices=[("", _("Not assessed in this consultation")), *RiskLevel.choices],
        help_text=_("High or imminent raises the case's risk flag when you sign."),
    )

    def __init__(self, *args, places, interpreters, ambassadors, social_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["interpreter"].queryset = interpreters
        self.fields["ambassador"].queryset = ambassadors
        self.fields["social_worker"].queryset = social_workers
        self.fields["interpreter_language"].queryset = active_languages()


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added below the signed consultation with your name and the time; nothing is overwritten."),
    )
