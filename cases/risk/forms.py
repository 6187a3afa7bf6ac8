from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import RiskLevel, SafetyPlan

# What each step of the safety plan asks, beside the step's own title (the model's verbose name).
PLAN_HELP = {
    "warning_signs": _("Thoughts, moods, situations that tell a crisis may be coming."),
    "coping_strategies": _("What the person can do alone to feel better (walk, music, prayer...)."),
    "people_to_ask": _("Names and phone numbers."),
    "professionals": _("e.g. the team's psychologist, 3114 (France), 0800 32 123 (Belgium), 112."),
    "safe_environment": _("Means put out of reach, with whom."),
}


class RiskAssessmentForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, widget=forms.RadioSelect)
    factors = forms.CharField(
        label=_("Risk and protective factors"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions_taken = forms.CharField(label=_("Actions taken"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SafetyPlan.STEPS:
            self.fields[name] = SafetyPlan._meta.get_field(name).formfield(
                required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=PLAN_HELP.get(name, "")
            )

    ASSESSMENT_FIELDS = ("level", "factors", "actions_taken")

    def assessment_fields(self):
        return [self[name] for name in self.ASSESSMENT_FIELDS]

    def plan_fields(self):
        return [self[name] for name in SafetyPlan.STEPS]
