from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from cases.persons.forms import active_languages
from cases.reminders import texts
from cases.reminders.models import ReminderSettings, TextKind
from integrapsy.forms import TimeInput

DOES_NOT_READ = "none"
MOBILE_FORMAT = _("Enter a mobile number with its country code, e.g. +33 6 12 34 56 78 or +32 470 12 34 56.")


class TextContactForm(forms.Form):
    mobile = PhoneNumberField(
        label=_("Mobile number"),
        required=False,
        region="FR",
        error_messages={"invalid": MOBILE_FORMAT},
        help_text=_("French numbers may be typed as 06…; other countries with their code (+32, +44…)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    reads = forms.ChoiceField(label=_("Reads texts in"), required=False)
    reads_french = forms.BooleanField(label=_("Also reads French"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = {str(lang.pk): lang for lang in active_languages()}
        self.fields["reads"].choices = [
            ("", _("Not asked yet")),
            (DOES_NOT_READ, _("Does not read texts")),
            *[(pk, lang.name) for pk, lang in self.languages.items()],
        ]

    def clean(self):
        data = super().clean()
        reads = data.pop("reads", "")
        data["does_not_read"] = reads == DOES_NOT_READ
        data["reads_language"] = self.languages.get(reads)
        return data


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "sender_name",
            "permanence_reminders",
            "interpreter_reminders",
            "first_hours",
            "second_hours",
            "quiet_from",
            "quiet_until",
        ]
        widgets = {"quiet_from": TimeInput(), "quiet_until": TimeInput()}


class ReminderTemplateForm(forms.Form):
    language_code = forms.ChoiceField(label=_("Language"))
    kind = forms.ChoiceField(label=_("Message"), choices=TextKind.choices)
    text = forms.CharField(
        label=_("Text"),
        max_length=480,
        widget=forms.Textarea(attrs={"rows": 4, "data-reminder-text": "1"}),
        help_text=_(
            "Placeholders: {date}, {time}, {place}, {sender}. "
            "Say only when and where: never what the appointment is about."
        ),
    )

    def __init__(self, *args, language_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language_code"].choices = language_choices

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        texts.validate_template_text(text)
        return text


class CallAnswerForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("The call"),
        choices=[("1", _("Called: the person knows")), ("0", _("Not reached"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
