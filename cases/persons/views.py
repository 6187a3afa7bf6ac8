from functools import partial

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.case_file import selectors as case_selectors
from cases.case_file import services as case_services
from cases.models import Person
from cases.persons import selectors, services
from cases.persons.forms import ConsentForm, MergeForm, NationalityResolveForm, NewPersonForm, PersonForm
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Location
from integrapsy.forms import posted, submit


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
        # A copy: the form's validation writes on its instance, the service writes on the person.
        form = PersonForm(request.POST, instance=Person.objects.get(pk=person.pk), locations=locations)
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
    return submit(
        request,
        form,
        lambda languages, **data: services.person_update(
            person=person, actor=request.user, languages=list(languages), request=request, **data
        ),
        success=_("Identity updated."),
        then=_to_person(person),
        template="cases/form_page.html",
        context={"person": person, "title": _("Edit identity")},
    )


def _to_person(person: Person) -> str:
    return reverse("cases:person_detail", args=[person.code])


@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, code) -> HttpResponse:
    person = _person_to_change(request, code, Capability.CHANGE_CASES)
    return submit(
        request,
        ConsentForm(posted(request)),
        partial(services.consent_record, person=person, actor=request.user, request=request),
        success=_("Consent recorded."),
        then=_to_person(person),
        template="cases/form_page.html",
        context={"person": person, "title": _("Record a consent")},
    )


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
    blocking: list[str] = []

    def merge(duplicate, confirm):
        try:
            return services.person_merge(
                keep=person,
                duplicate=selectors.person_get_to_change(
                    user=request.user, code=duplicate, capability=Capability.MERGE_PERSONS
                ),
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "open_cases":
                blocking.extend(exc.params["references"])
            raise

    return submit(
        request,
        MergeForm(posted(request)),
        merge,
        success=_("The two records are now one; both histories are kept."),
        then=_to_person(person),
        template="cases/person_merge.html",
        context=lambda: {
            "title": _("Possible duplicates"),
            "person": person,
            "suggestions": suggestions,
            "blocking_cases": selectors.merge_blocking_cases(user=request.user, references=blocking),
        },
    )


@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    """Register a person met without a referral and open their case; duplicates are proposed first."""
    access.require(request.user, Capability.TRIAGE_REFERRALS)
    teams = case_selectors.user_teams(user=request.user, capability=Capability.TRIAGE_REFERRALS)
    locations = case_selectors.user_locations(user=request.user, capability=Capability.TRIAGE_REFERRALS)
    suggestions = []

    def register(team, create_anyway, languages, **data):
        suggestions[:] = selectors.duplicate_candidates(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            alias=data["alias"],
            birth_year=data["birth_date"].year if data.get("birth_date") else data.get("birth_year"),
            nationality=data["nationality"],
        )
        if suggestions and not create_anyway:
            raise ValidationError({"create_anyway": _("This person may already be known")})
        return case_services.person_register_with_case(
            actor=request.user, team=team, languages=list(languages), request=request, **data
        )

    return submit(
        request,
        NewPersonForm(posted(request), teams=teams, locations=locations),
        register,
        success=lambda case: _("Person registered: case %(ref)s.") % {"ref": case.reference},
        then=lambda case: reverse("cases:detail", args=[case.reference]),
        template="cases/person_new.html",
        context=lambda: {"suggestions": suggestions, "title": _("New person")},
    )


@require_http_methods(["GET"])
def person_access_log(request: HttpRequest, code) -> HttpResponse:
    person = _person_for(request, code)
    events = selectors.person_access_log(user=request.user, person=person)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/person_access_log.html",
        {"title": _("Who accessed this file"), "person": person, "page": page},
    )


UNRESOLVED_PER_PAGE = 50


@require_http_methods(["GET"])
def nationalities_unresolved(request: HttpRequest) -> HttpResponse:
    """The administrator's list of nationalities written as a text that named no known country."""
    access.require(request.user, Capability.RESOLVE_NATIONALITIES)
    page = Paginator(selectors.unresolved_nationalities(user=request.user), UNRESOLVED_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "cases/nationalities_unresolved.html", {"page": page, "title": _("Nationalities to resolve")}
    )


@require_http_methods(["GET", "POST"])
def nationality_resolve(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.RESOLVE_NATIONALITIES)
    person = selectors.unresolved_nationality_get(user=request.user, code=code)
    back = reverse("cases:nationalities_unresolved")
    return submit(
        request,
        NationalityResolveForm(posted(request)),
        partial(services.nationality_resolve, person=person, actor=request.user, request=request),
        success=lambda p: (
            _("Nationality of %(name)s: %(country)s.") % {"name": p.display_name, "country": p.nationality.name}
        ),
        then=back,
        template="cases/nationality_resolve.html",
        context={"title": _("Choose the country"), "person": person, "back": back},
    )
