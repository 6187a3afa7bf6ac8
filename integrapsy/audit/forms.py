from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from integrapsy.forms import DateInput


class AuditSearchForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    reference = forms.CharField(
        label=_("Person or case"),
        required=False,
        max_length=64,
        help_text=_("A case reference (IP-…), a referral reference (OR-…) or a person's code."),
    )
    action = forms.CharField(label=_("Action"), required=False, max_length=60, help_text=_("e.g. case.viewed, export"))
    date_from = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
