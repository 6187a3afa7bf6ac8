from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.case_file import selectors as case_selectors
from cases.case_file import services as case_services
from cases.models import Person
from cases.persons import selectors, services
from cases.persons.forms import ConsentForm, MergeForm, NewPersonForm, PersonForm
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Location
from integrapsy.forms import add_service_errors


def _person_for(request: HttpRequest, code) -> Person:
    access.require(request.user, Capability.VIEW_CASES)
    return selectors.person_get(user=request.user, code=code)


def _person_to_change(request: HttpRequest, code, capability: Capability) -> Person:
    """The person if a team where the user holds ``capability`` follows them (404 otherwise)."""
    access.require(request.user, capability)
    return selectors.person_get_to_change(user=request.user, code=code, capability=capability)


@require_http_methods(["GET"])
def person_detail(request: HttpRequest, code) -> HttpResponse:
    person = _person_for(request, code)
    audit_record(action="person.viewed", request=request, obj=person)
    return render(request, "cases/person_detail.html", selectors.person_page(user=request.user, person=person))


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, code) -> HttpResponse:
    person = _person_to_change(request, code, Capability.CHANGE_CASES)
    locations = Location.objects.filter(is_active=True).order_by("name")
    if request.method == "POST":
        form = PersonForm(request.POST, instance=Person.objects.get(pk=person.pk), locations=locations)
        if form.is_valid():
            data = dict(form.cleaned_data)
            languages, main_language = data.pop("languages"), data.pop("main_language")
            try:
                services.person_update(
                    person=person,
                    actor=request.user,
                    languages=list(languages),
                    main_language=main_language,
                    request=request,
                    **data,
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Identity updated."))
                return redirect("cases:person_detail", code=person.code)
    else:
        langs = selectors.person_languages(person=person)
        form = PersonForm(
            instance=person,
            locations=locations,
            initial={
                "languages": [pl.language for pl in langs],
                "main_language": next((pl.language for pl in langs if pl.is_main), None),
            },
        )
    return render(request, "cases/form_page.html", {"person": person, "form": form, "title": _("Edit identity")})


@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, code) -> HttpResponse:
    person = _person_to_change(request, code, Capability.CHANGE_CASES)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(person=person, actor=request.user, request=request, **form.cleaned_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("cases:person_detail", code=person.code)
    return render(request, "cases/form_page.html", {"person": person, "form": form, "title": _("Record a consent")})


@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, code) -> HttpResponse:
    person = _person_to_change(request, code, Capability.MERGE_PERSONS)
    suggestions = selectors.duplicate_candidates(
        user=request.user,
        first_name=person.first_name,
        last_name=person.last_name,
        alias=person.alias,
        birth_year=person.estimated_birth_year,
        nationality=person.nationality,
        exclude=person,
        capability=Capability.MERGE_PERSONS,
    )
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = selectors.person_get_to_change(
            user=request.user, code=form.cleaned_data["duplicate"], capability=Capability.MERGE_PERSONS
        )
        try:
            services.person_merge(keep=person, duplicate=duplicate, actor=request.user, request=request)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The two records are now one; both histories are kept."))
            return redirect("cases:person_detail", code=person.code)
    return render(request, "cases/person_merge.html", {"person": person, "suggestions": suggestions, "form": form})


@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    """Register a person met without a referral and open their case; duplicates are proposed first."""
    access.require(request.user, Capability.TRIAGE_REFERRALS)
    teams = case_selectors.user_teams(user=request.user, capability=Capability.TRIAGE_REFERRALS)
    locations = case_selectors.user_locations(user=request.user, capability=Capability.TRIAGE_REFERRALS)
    form = NewPersonForm(request.POST or None, teams=teams, locations=locations)
    suggestions = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team, create_anyway = data.pop("team"), data.pop("create_anyway")
        languages, main_language = data.pop("languages"), data.pop("main_language")
        suggestions = selectors.duplicate_candidates(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            alias=data["alias"],
            birth_year=data["birth_date"].year if data.get("birth_date") else data.get("birth_year"),
            nationality=data["nationality"],
        )
        if not suggestions or create_anyway:
            try:
                case = case_services.person_register_with_case(
                    actor=request.user,
                    team=team,
                    languages=list(languages),
                    main_language=main_language,
                    request=request,
                    **data,
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Person registered: case %(ref)s.") % {"ref": case.reference})
                return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/person_new.html", {"form": form, "suggestions": suggestions})


@require_http_methods(["GET"])
def person_access_log(request: HttpRequest, code) -> HttpResponse:
    person = _person_for(request, code)
    events = selectors.person_access_log(user=request.user, person=person)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "cases/person_access_log.html", {"person": person, "page": page})
