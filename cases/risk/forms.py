from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import RiskLevel, SafetyPlan


class RiskAssessmentForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, widget=forms.RadioSelect)
    factors = forms.CharField(
        label=_("Risk and protective factors"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions_taken = forms.CharField(label=_("Actions taken"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    warning_signs = forms.CharField(
        label=SafetyPlan._meta.get_field("warning_signs").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Thoughts, moods, situations that tell a crisis may be coming."),
    )
    coping_strategies = forms.CharField(
        label=SafetyPlan._meta.get_field("coping_strategies").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the person can do alone to feel better (walk, music, prayer...)."),
    )
    people_and_places = forms.CharField(
        label=SafetyPlan._meta.get_field("people_and_places").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    people_to_ask = forms.CharField(
        label=SafetyPlan._meta.get_field("people_to_ask").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and phone numbers."),
    )
    professionals = forms.CharField(
        label=SafetyPlan._meta.get_field("professionals").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. the team's psychologist, 3114 (France), 0800 32 123 (Belgium), 112."),
    )
    safe_environment = forms.CharField(
        label=SafetyPlan._meta.get_field("safe_environment").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Means put out of reach, with whom."),
    )

    ASSESSMENT_FIELDS = ("level", "factors", "actions_taken")

    def assessment_fields(self):
        return [self[name] for name in self.ASSESSMENT_FIELDS]

    def plan_fields(self):
        return [self[name] for name in SafetyPlan.STEPS]
