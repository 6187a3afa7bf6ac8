"""The administrator's tools for data-subject rights: find a person, export, erase."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.gdpr import selectors
from cases.gdpr.forms import AnonymiseForm, GdprSearchForm
from cases.persons import services as person_services
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import posted, submit
from integrapsy.gdpr import subject_sections


@require_GET
def gdpr_persons(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_DATA_RIGHTS)
    form = GdprSearchForm(request.GET or None)
    persons = selectors.gdpr_person_search(q=form.cleaned_data["q"]) if form.is_valid() else []
    return render(request, "cases/gdpr_persons.html", {"form": form, "persons": persons})


def _subject(request: HttpRequest, code):
    access.require(request.user, Capability.MANAGE_DATA_RIGHTS)
    return selectors.gdpr_person_get(code=code)


def _export(request: HttpRequest, code, file_format: str):
    """The person whose subject-access export is read, in French or Dutch as asked; the read is audited."""
    person = _subject(request, code)
    language = request.GET.get("lang", "fr")
    language = language if language in ("fr", "nl") else "fr"
    audit_record(action="export.subject_access", request=request, obj=person, detail=f"{file_format} {language}")
    return person, language


@require_GET
def gdpr_subject_access(request: HttpRequest, code) -> HttpResponse:
    person, language = _export(request, code, "html")
    with translation.override(language):
        response = render(
            request,
            "cases/gdpr_subject_access.html",
            {"person": person, "sections": subject_sections(person), "export_language": language},
        )
    return response


@require_GET
def gdpr_subject_access_json(request: HttpRequest, code) -> HttpResponse:
    person, language = _export(request, code, "json")
    with translation.override(language):
        payload = {
            "person": str(person.code),
            "language": language,
            "sections": [
                {"key": s.key, "title": str(s.title), "rows": [{k: str(v) for k, v in r.items()} for r in s.rows]}
                for s in subject_sections(person)
            ],
        }
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person.code}.json"'
    return response


@require_http_methods(["GET", "POST"])
def gdpr_anonymise(request: HttpRequest, code) -> HttpResponse:
    person = _subject(request, code)
    return submit(
        request,
        AnonymiseForm(posted(request)),
        lambda reason, confirm: person_services.person_anonymise(
            person=person, actor=request.user, reason=reason, request=request
        ),
        success=_("Identity erased. The counts used by the indicators are kept."),
        then="cases:gdpr_persons",
        template="cases/gdpr_anonymise.html",
        context={"person": person},
    )
