from django import forms
from django.utils.translation import gettext_lazy as _

from integrapsy.accounts.models import Team
from integrapsy.forms import DateInput, Select
from integrapsy.reports.periods import Period


class PeriodForm(forms.Form):
    """A team (among those the user may report on) and a period; used as a GET filter."""

    team = forms.ChoiceField(label=_("Team"), widget=Select)
    date_from = forms.DateField(label=_("First day"), widget=DateInput())
    date_to = forms.DateField(label=_("Last day"), widget=DateInput())

    def __init__(self, data, *, teams, default: Period, team_required: bool = True):
        teams = list(teams)
        merged = {"date_from": default.start.isoformat(), "date_to": default.end.isoformat()}
        if team_required and teams:
            merged["team"] = str(teams[0].code)
        merged.update({k: v for k, v in data.items() if v not in (None, "")})
        super().__init__(merged)
        # The choices come from the list already read: no further query to check or draw them.
        self.fields["team"].choices = ([] if team_required else [("", _("All my teams"))]) + [
            (str(t.code), t.name) for t in teams
        ]
        self.fields["team"].required = team_required
        self._teams = {str(t.code): t for t in teams}

    def clean_team(self) -> Team | None:
        return self._teams.get(self.cleaned_data.get("team") or "")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    @property
    def period(self) -> Period:
        return Period(start=self.cleaned_data["date_from"], end=self.cleaned_data["date_to"])


class ExportForm(PeriodForm):
    deidentified = forms.BooleanField(
        label=_("De-identified"),
        required=False,
        help_text=_("No names, no phone, birth year only; each person gets a stable pseudonym."),
    )
