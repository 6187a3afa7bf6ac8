"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.reminders import views

urlpatterns = [
    path("persons/<uuid:code>/text-contact/", views.text_contact_edit, name="reminder_text_contact"),
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("reminders/teams/<uuid:code>/settings/", views.reminder_settings_edit, name="reminder_settings"),
    path("reminders/teams/<uuid:code>/texts/", views.reminder_templates, name="reminder_templates"),
    path("reminders/teams/<uuid:code>/texts/edit/", views.reminder_template_edit, name="reminder_template_edit"),
    path("reminders/calls/<uuid:code>/", views.reminder_call_answer, name="reminder_call"),
    path("sms/receipt/", views.sms_receipt, name="reminder_sms_receipt"),
    path("sms/inbound/", views.sms_inbound, name="reminder_sms_inbound"),
]
