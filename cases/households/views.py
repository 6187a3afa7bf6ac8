from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.households import selectors, services
from cases.households.forms import HouseholdAddForm, HouseholdRemoveForm
from cases.models import Person
from cases.persons import selectors as person_selectors
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.forms import posted, submit


def _person_to_change(request: HttpRequest, code) -> Person:
    """The person if a team where the user changes cases follows them (404 otherwise)."""
    access.require(request.user, Capability.CHANGE_CASES)
    return person_selectors.person_get_to_change(user=request.user, code=code, capability=Capability.CHANGE_CASES)


@require_http_methods(["GET", "POST"])
def household_add(request: HttpRequest, code) -> HttpResponse:
    person = _person_to_change(request, code)
    q = selectors.household_query((request.POST if request.method == "POST" else request.GET).get("q"))
    form = HouseholdAddForm(
        posted(request),
        initial={"q": q},
        choosable=selectors.household_choosable(user=request.user),
    )
    return submit(
        request,
        form,
        lambda member, relation, q: services.household_link_add(
            person=person, relative=member, relation=relation, actor=request.user, request=request
        ),
        success=lambda link: _("%(name)s added to the household.") % {"name": link.relative.display_name},
        then=reverse("cases:person_detail", args=[person.code]),
        template="cases/household_add.html",
        context=lambda: {
            "title": _("Add a family member"),
            "person": person,
            "q": q,
            **selectors.household_search(user=request.user, person=person, q=q),
            "chosen": request.POST.get("member", ""),
        },
    )


@require_POST
def household_remove(request: HttpRequest, code) -> HttpResponse:
    person = _person_to_change(request, code)
    form = HouseholdRemoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    member = Person.objects.filter(code=form.cleaned_data["member"]).first()
    if member is None:
        raise Http404
    try:
        services.household_member_remove(person=person, member=member, actor=request.user, request=request)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s removed from the household.") % {"name": member.display_name})
    return redirect("cases:person_detail", code=person.code)
