from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, RiskLevel
from integrapsy import forms as core_forms
from integrapsy.accounts.models import Team, User
from integrapsy.forms import DateInput


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, alias or reference; spelling variants are found too."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Case.Status.choices, widget=core_forms.Select
    )
    # The options of these four are read together (``selectors.case_filter_options``): their
    # values are the rows' ids, which the list filters on.
    team = forms.ChoiceField(label=_("Team"), required=False, widget=core_forms.Select)
    lead_psychologist = forms.ChoiceField(label=_("Lead psychologist"), required=False, widget=core_forms.Select)
    location = forms.ChoiceField(label=_("Location"), required=False, widget=core_forms.Select)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=core_forms.Select)
    risk_level = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("All"))] + RiskLevel.choices, widget=core_forms.Select
    )

    def __init__(self, *args, options: dict[str, list], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("team", "lead_psychologist", "location", "language"):
            self.fields[name].choices = core_forms.id_choices(options[name], empty_label=_("All"))


class CoordinationNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Coordination note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Practical, non-clinical information for the team. No clinical details here."),
    )


class CaseUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[c for c in Case.Status.choices if c[0] != "closed"])
    lead_psychologist = core_forms.ModelChoiceField(
        label=_("Lead psychologist"), required=False, queryset=User.objects.none()
    )
    members = core_forms.ModelMultipleChoiceField(
        label=_("Team members involved"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, psychologists, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_psychologist"].queryset = psychologists
        self.fields["members"].queryset = staff


class CaseCloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for closing"), max_length=255)
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=timezone.localdate)


class CaseShareForm(forms.Form):
    team = core_forms.ModelChoiceField(label=_("Share with the team"), queryset=Team.objects.none())
    reason = forms.CharField(
        label=_("Why"),
        max_length=255,
        required=False,
        help_text=_("e.g. the person moved from Calais to Tournai."),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
