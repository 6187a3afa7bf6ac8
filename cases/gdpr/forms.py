from django import forms
from django.utils.translation import gettext_lazy as _


class GdprSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, alias or case reference"), max_length=100)


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Legal ground or request"),
        max_length=255,
        help_text=_("e.g. erasure request of 12/03/2026 received by email"),
    )
    confirm = forms.BooleanField(label=_("I understand that the identity cannot be restored."))
