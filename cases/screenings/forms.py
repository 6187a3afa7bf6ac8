from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Instrument, Screening
from cases.screenings.models import localised
from integrapsy import forms as core_forms
from integrapsy.accounts.models import User
from integrapsy.directory.models import Language
from integrapsy.forms import DateInput

COMPLETE = "complete"


DRAFT = "draft"


class ScreeningForm(forms.Form):
    """How the questionnaire was given, then one radio group per item (``item_<id>``)."""

    administered_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    language = core_forms.ModelChoiceField(label=_("Language it was given in"), queryset=Language.objects.none())
    mode = forms.ChoiceField(label=_("How"), choices=Screening.Mode.choices, widget=forms.RadioSelect)
    helper_kind = forms.ChoiceField(
        label=_("Who helped"), choices=Screening.HelperKind.choices, required=False, widget=forms.RadioSelect
    )
    helper = core_forms.ModelChoiceField(
        label=_("Interpreter or ambassador"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Interpreters, and the Integration Ambassadors of the team."),
    )
    helper_name = forms.CharField(
        label=_("Or their name"),
        max_length=120,
        required=False,
        help_text=_("When they have no account here, e.g. an interpreter on the phone."),
    )

    def __init__(self, *args, instrument: Instrument, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["language"].queryset = Language.objects.filter(is_active=True).order_by("name_fr", "variety")
        self.fields["helper"].queryset = helpers
        scale = instrument.scale
        choices = [
            (str(value), f"{value} — {localised(label)}")
            for value, label in zip(range(scale["min"], scale["max"] + 1), scale["labels"], strict=True)
        ]
        for item in instrument.items:
            self.fields[f"item_{item['id']}"] = forms.TypedChoiceField(
                label=f"{item['id']}. {localised(item['text'])}",
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "item-choice"}),
            )

    @property
    def item_fields(self):
        return [self[f"item_{item['id']}"] for item in self.instrument.items]

    @property
    def meta_fields(self):
        return [self[name] for name in ("administered_on", "language", "mode", "helper_kind", "helper", "helper_name")]

    def answers(self) -> dict:
        return {item["id"]: self.cleaned_data.get(f"item_{item['id']}") for item in self.instrument.items}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "answers": self.answers(),
            "administered_on": data["administered_on"],
            "language": data["language"],
            "mode": data["mode"],
            "helper_kind": data.get("helper_kind") or "",
            "helper": data.get("helper"),
            "helper_name": data.get("helper_name") or "",
        }

    @staticmethod
    def initial_from(screening: Screening) -> dict:
        initial = {
            "administered_on": screening.administered_on,
            "language": screening.language,
            "mode": screening.mode,
            "helper_kind": screening.helper_kind,
            "helper": screening.helper,
            "helper_name": screening.helper_name,
        }
        initial.update({f"item_{k}": str(v) for k, v in screening.answers.items()})
        return initial
