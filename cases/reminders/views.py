import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.persons import selectors as person_selectors
from cases.reminders import selectors, services, texts, webhooks
from cases.reminders.forms import (
    DOES_NOT_READ,
    CallAnswerForm,
    ReminderSettingsForm,
    ReminderTemplateForm,
    TextContactForm,
)
from cases.reminders.models import TextKind
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.forms import posted, submit
from integrapsy.notifications.services import outbox_receipt_record

REMINDERS_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
def text_contact_edit(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.VIEW_CASES)
    person = person_selectors.person_get(user=request.user, code=code)
    contact = selectors.text_contact_of(person=person)
    initial = {}
    if contact is not None:
        initial = {
            "mobile": contact.mobile,
            "reads": DOES_NOT_READ if contact.does_not_read else (contact.reads_language_id or ""),
            "reads_french": contact.reads_french,
        }
    return submit(
        request,
        TextContactForm(posted(request), initial=initial),
        lambda **data: services.text_contact_set(person=person, actor=request.user, request=request, **data),
        success=_("Mobile number and reading language recorded."),
        then=reverse("cases:person_detail", args=[person.code]),
        template="cases/form_page.html",
        context={
            "person": person,
            "title": _("Mobile number and text reminders"),
            "intro": _(
                "Texts are sent only after the person agreed to receive them: record that consent "
                "(“Text reminders of appointments”) on the person's page."
            ),
        },
    )


@require_GET
def reminder_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.PLAN_PERMANENCES)
    page = Paginator(selectors.reminder_list(user=request.user), REMINDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/reminders/reminder_list.html",
        {"title": _("Text reminders"), "page": page, "teams": selectors.reminder_teams(user=request.user)},
    )


def _reminder_team(request: HttpRequest, code):
    """The team whose reminders the user plans (404 otherwise)."""
    access.require(request.user, Capability.PLAN_PERMANENCES)
    return selectors.reminder_team(user=request.user, code=code)


@require_http_methods(["GET", "POST"])
def reminder_settings_edit(request: HttpRequest, code) -> HttpResponse:
    team = _reminder_team(request, code)
    return submit(
        request,
        ReminderSettingsForm(posted(request), instance=services.team_settings(team.pk)),
        lambda **data: services.reminder_settings_update(team=team, actor=request.user, request=request, **data),
        success=_("Reminder settings saved."),
        then=reverse("cases:reminder_list"),
        template="cases/form_page.html",
        context={
            "title": _("Text reminders of %(team)s") % {"team": team.name},
            "back": reverse("cases:reminder_list"),
        },
    )


@require_GET
def reminder_templates(request: HttpRequest, code) -> HttpResponse:
    team = _reminder_team(request, code)
    return render(
        request, "cases/reminders/template_list.html", {"team": team, "rows": selectors.template_rows(team=team)}
    )


def _language_choices():
    from cases.persons.forms import active_languages

    seen = {}
    for language in active_languages():
        seen.setdefault(language.code, language.name)
    for code in texts.SHIPPED:
        seen.setdefault(code, code)
    return sorted(seen.items(), key=lambda item: item[1])


@require_http_methods(["GET", "POST"])
def reminder_template_edit(request: HttpRequest, code) -> HttpResponse:
    team = _reminder_team(request, code)
    choices = _language_choices()
    language_code = request.GET.get("language") or "fra"
    kind = request.GET.get("kind") if request.GET.get("kind") in TextKind.values else TextKind.REMINDER
    initial = {
        "language_code": language_code,
        "kind": kind,
        "text": selectors.template_text_for(team=team, language_code=language_code, kind=kind),
    }
    form = ReminderTemplateForm(posted(request), initial=initial, language_choices=choices)
    shown_language = (form.data.get("language_code") if form.is_bound else language_code) or "fra"
    shown_text = (form.data.get("text") if form.is_bound else initial["text"]) or ""
    preview_text, direction = selectors.preview(team=team, language_code=shown_language, text=shown_text)
    return submit(
        request,
        form,
        lambda **data: services.reminder_template_save(team=team, actor=request.user, request=request, **data),
        success=_("Text saved."),
        then=reverse("cases:reminder_templates", args=[team.code]),
        template="cases/reminders/template_edit.html",
        context={
            "team": team,
            "preview_text": preview_text,
            "preview_dir": direction,
            "preview_values": selectors.preview_values(team=team, language_codes=[code for code, _name in choices]),
        },
    )


@require_http_methods(["GET", "POST"])
def reminder_call_answer(request: HttpRequest, code) -> HttpResponse:
    reminder = selectors.reminder_call_get(user=request.user, code=code)
    return submit(
        request,
        CallAnswerForm(posted(request)),
        lambda reached: services.reminder_call_answer(
            reminder=reminder, actor=request.user, reached=reached, request=request
        ),
        success=_("Call recorded."),
        then=reverse("home"),
        template="cases/reminders/call_answer.html",
        context={"reminder": reminder},
    )


# --- The text gateway's callbacks (signed, no session) -----------------------------------------


def _accepted(request: HttpRequest) -> dict | None:
    signed = webhooks.signed_payload(request)
    if signed is None or not services.webhook_accept(signature=signed[1]):
        return None
    return signed[0]


@csrf_exempt
@login_not_required
@require_POST
def sms_receipt(request: HttpRequest) -> HttpResponse:
    """Delivery receipt: ``{"reference": "<message code>", "status": "delivered" | "failed", "error": "…"}``."""
    payload = _accepted(request)
    if payload is None:
        return HttpResponseForbidden()
    try:
        code = uuid.UUID(str(payload.get("reference", "")))
    except ValueError:
        return JsonResponse({"ok": False}, status=400)
    status = str(payload.get("status", "")).lower()
    message = outbox_receipt_record(code=code, delivered=status == "delivered", error=str(payload.get("error", "")))
    return JsonResponse({"ok": message is not None})


@csrf_exempt
@login_not_required
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """A text from a person: ``{"from": "+33…", "text": "STOP"}``; STOP withdraws their consent."""
    payload = _accepted(request)
    if payload is None:
        return HttpResponseForbidden()
    words = str(payload.get("text", "")).strip().upper().split()
    withdrawn = 0
    if words and words[0] in ("STOP", "STOPP", "ARRET", "ARRÊT"):
        withdrawn = len(services.text_stop_record(number=str(payload.get("from", "")).strip()))
    return JsonResponse({"ok": True, "withdrawn": withdrawn})
