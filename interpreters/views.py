import csv
import io
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.messages.storage.base import Message
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.case_file import selectors as case_selectors
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import act, posted, submit
from integrapsy.pagination import CappedPaginator, asks_for_everyone, shortlist
from integrapsy.params import query_without
from interpreters import exports, selectors, services
from interpreters.forms import (
    BookingFilterForm,
    BookingRequestForm,
    CancelForm,
    ChooseInterpreterForm,
    CompleteForm,
    DeclineForm,
    NoShowForm,
    TimesheetForm,
    UnavailabilityForm,
    WithdrawForm,
    booking_prefill,
    default_booking_initial,
)

BOOKINGS_PER_PAGE = 25
# The list counts its bookings up to this many (a team's upcoming ones may be many thousands).
BOOKINGS_COUNTED = 1000


# --- The team's side --------------------------------------------------------------------


def _booking_for(request: HttpRequest, code, capability=Capability.VIEW_BOOKINGS, related=selectors.DETAIL_RELATED):
    """The booking if the user's team asked for it (404 otherwise), with what they may do on it."""
    access.require(request.user, capability)
    booking = selectors.booking_get(user=request.user, code=code, related=related)
    return booking, access.booking_access(request.user, booking)


def _managed_booking(request: HttpRequest, code, related=selectors.DETAIL_RELATED):
    booking, rights = _booking_for(request, code, Capability.MANAGE_BOOKINGS, related)
    if not rights.manage:
        raise Http404
    return booking


@require_GET
def booking_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_BOOKINGS)
    form = BookingFilterForm(request.GET or {"when": "upcoming"})
    filters = form.cleaned_data if form.is_valid() else {}
    when = filters.get("when") or "upcoming"
    qs = selectors.booking_list(user=request.user, status=filters.get("status", ""), when=when)
    # The ids of the first bookings (their number the count), then the page's rows by id.
    page = CappedPaginator(
        qs,
        BOOKINGS_PER_PAGE,
        cap=BOOKINGS_COUNTED,
        ids_first=True,
        rows_of_ids=selectors.booking_rows_by_ids(user=request.user, when=when),
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "interpreters/booking_list.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.booking_list_rows(page.object_list),
            "query": query_without(request, "page"),
            "may_request": access.can(request.user, Capability.REQUEST_BOOKINGS),
        },
    )


@require_http_methods(["GET", "POST"])
def booking_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.REQUEST_BOOKINGS)
    teams = case_selectors.user_teams(user=request.user, capability=Capability.REQUEST_BOOKINGS)
    case = None
    reference = (request.POST.get("case") or request.GET.get("case") or "").strip()
    locations = case_selectors.user_locations(user=request.user, capability=Capability.REQUEST_BOOKINGS)
    initial = default_booking_initial()
    if reference:
        case = case_selectors.case_get(user=request.user, reference=reference)
        initial.update(case=case.reference, language=case.main_language)
        if teams.filter(pk=case.team_id).exists():
            initial["team"] = case.team
        if case.person.location_id:
            initial["location"] = case.person.location_id
    if request.method == "GET":
        # The planner (and any page) may fill in the rest through the address; bad values are ignored.
        initial.update(booking_prefill(request.GET, locations=locations))

    def request_booking(day, excluded_interpreters, **data):
        data.pop("case")  # the reference, read above
        return services.booking_request(
            actor=request.user,
            case=case,
            excluded_interpreters=list(excluded_interpreters),
            request=request,
            **data,
        )

    return submit(
        request,
        BookingRequestForm(posted(request), teams=teams, locations=locations, initial=initial),
        request_booking,
        success=_requested,
        then=lambda booking: reverse("interpreters:booking_detail", args=[booking.code]),
        template="interpreters/booking_form.html",
        context={"case": case},
    )


def _requested(booking) -> list:
    said = [_("Interpreter requested.")]
    if booking.short_notice:
        said.append(
            Message(
                messages.WARNING,
                _(
                    "This is a rare language and the booking is less than two working days "
                    "away: the interpreting service may not find someone in time."
                ),
            )
        )
    return said


@require_GET
def booking_detail(request: HttpRequest, code) -> HttpResponse:
    booking, rights = _booking_for(request, code)
    return render(
        request,
        "interpreters/booking_detail.html",
        {
            "booking": booking,
            "rights": rights,
            "excluded": selectors.booking_excluded(booking=booking),
            "withdrawals": selectors.booking_withdrawals(booking=booking),
            **selectors.booking_flags(booking=booking, rights=rights),
            "no_show_form": NoShowForm(),
        },
    )


def _match_page(request, booking, *, error: str = "", status: int = 200):
    suggestions = shortlist(selectors.match_interpreters(booking=booking), everyone=asks_for_everyone(request))
    return render(
        request,
        "interpreters/booking_match.html",
        {"booking": booking, "suggestions": suggestions, "error": error},
        status=status,
    )


@require_GET
def booking_match(request: HttpRequest, code) -> HttpResponse:
    booking = _managed_booking(request, code, related=selectors.MATCH_RELATED)  # what the page names
    if not booking.is_open:
        messages.info(request, _("This booking no longer waits for an interpreter."))
        return redirect("interpreters:booking_detail", code=booking.code)
    return _match_page(request, booking)


def _choose(request: HttpRequest, code, service_call, success: str) -> HttpResponse:
    booking = _managed_booking(request, code)
    form = ChooseInterpreterForm(request.POST)
    if not form.is_valid():
        return _match_page(request, booking, error=_("Choose an interpreter in the list."), status=400)
    interpreter = selectors.interpreter_for_offer(code=form.cleaned_data["interpreter"])
    try:
        service_call(booking=booking, interpreter=interpreter, actor=request.user, request=request)
    except services.BookingConflict as exc:
        # Someone was quicker: the same list again, recomputed, with the reason on top.
        booking.refresh_from_db()
        return _match_page(request, booking, error=" ".join(exc.messages), status=409)
    except ValidationError as exc:
        booking.refresh_from_db()
        return _match_page(request, booking, error=" ".join(exc.messages), status=400)
    messages.success(request, success)
    return redirect("interpreters:booking_detail", code=booking.code)


@require_POST
def booking_offer(request: HttpRequest, code) -> HttpResponse:
    return _choose(request, code, services.booking_offer, _("Offered to the interpreter."))


@require_POST
def booking_confirm(request: HttpRequest, code) -> HttpResponse:
    return _choose(request, code, services.booking_confirm, _("Booking confirmed on the interpreter's behalf."))


@require_http_methods(["GET", "POST"])
def booking_complete(request: HttpRequest, code) -> HttpResponse:
    booking = _managed_booking(request, code)
    return _complete(request, booking, back=reverse("interpreters:booking_detail", args=[booking.code]))


def _complete(request, booking, *, back: str) -> HttpResponse:
    return submit(
        request,
        CompleteForm(posted(request), booking=booking),
        partial(services.booking_complete, booking=booking, actor=request.user, request=request),
        success=_("Time recorded."),
        then=back,
        template="interpreters/form_page.html",
        context={"booking": booking, "title": _("Record the actual time"), "back": back},
    )


@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, code) -> HttpResponse:
    booking, rights = _booking_for(request, code, Capability.REQUEST_BOOKINGS)
    if not rights.cancel:
        raise Http404
    back = reverse("interpreters:booking_detail", args=[booking.code])
    billable = services.cancellation_is_billable(booking)
    return submit(
        request,
        CancelForm(posted(request)),
        partial(services.booking_cancel, booking=booking, actor=request.user, request=request),
        success=_("Booking cancelled."),
        then=back,
        template="interpreters/form_page.html",
        context={
            "booking": booking,
            "title": _("Cancel the booking"),
            "back": back,
            "intro": _("Less than 24 hours before the start: this is a late cancellation, which stays billable.")
            if billable
            else "",
        },
    )


@require_POST
def booking_no_show(request: HttpRequest, code) -> HttpResponse:
    booking = _managed_booking(request, code)
    form = NoShowForm(request.POST)
    if form.is_valid():
        try:
            services.booking_no_show(
                booking=booking, actor=request.user, party=form.cleaned_data["party"], request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("No-show recorded."))
    else:
        messages.error(request, _("Say who did not come."))
    return redirect("interpreters:booking_detail", code=booking.code)


# --- The interpreter's own pages --------------------------------------------------------


@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    interpreter = selectors.interpreter_of(user=request.user)
    return render(
        request,
        "interpreters/my_bookings.html",
        {"interpreter": interpreter, **selectors.my_bookings(user=request.user)},
    )


def _my_booking(request: HttpRequest, code):
    selectors.interpreter_of(user=request.user)
    return selectors.my_booking_get(user=request.user, code=code)


@require_GET
def my_booking_detail(request: HttpRequest, code) -> HttpResponse:
    booking = _my_booking(request, code)
    # A read of personal data (a first name, a place, a briefing), audited as every role's reads are.
    audit_record(
        action="booking.viewed",
        request=request,
        obj=booking,
        case_ref=booking.case.reference if booking.case_id else "",
    )
    return render(
        request,
        "interpreters/my_booking_detail.html",
        {"booking": booking, **selectors.my_booking_flags(booking=booking)},
    )


@require_POST
def my_booking_accept(request: HttpRequest, code) -> HttpResponse:
    booking = _my_booking(request, code)
    return act(
        request,
        partial(services.booking_confirm, booking=booking, actor=request.user, request=request),
        success=_("Booking accepted. The invitation is in your mailbox."),
        then=reverse("interpreters:my_booking_detail", args=[booking.code]),
    )


def _my_booking_form(request: HttpRequest, booking, form, service, *, success: str, **page) -> HttpResponse:
    """A form the interpreter sends about their booking: the service, then back to their bookings."""
    return submit(
        request,
        form,
        partial(service, booking=booking, actor=request.user, request=request),
        success=success,
        then="interpreters:my_bookings",
        template="interpreters/form_page.html",
        context={"booking": booking, "mine": True, **page},
    )


@require_http_methods(["GET", "POST"])
def my_booking_decline(request: HttpRequest, code) -> HttpResponse:
    booking = _my_booking(request, code)
    return _my_booking_form(
        request,
        booking,
        DeclineForm(posted(request)),
        services.booking_decline,
        success=_("Offer declined."),
        title=_("Decline the offer"),
        back=reverse("interpreters:my_booking_detail", args=[booking.code]),
    )


@require_http_methods(["GET", "POST"])
def my_booking_withdraw(request: HttpRequest, code) -> HttpResponse:
    booking = _my_booking(request, code)
    detail = reverse("interpreters:my_booking_detail", args=[booking.code])
    if not services.booking_is_withdrawable(booking):
        messages.info(request, _("This booking can no longer be given back. Call the team if you cannot come."))
        return redirect(detail)
    return _my_booking_form(
        request,
        booking,
        WithdrawForm(posted(request)),
        services.booking_withdraw,
        success=_("You withdrew from the booking. The team is told and will find another interpreter."),
        title=_("Withdraw from the booking"),
        back=detail,
        intro=_(
            "Less than 24 hours before the start: the team must find someone else at very short notice. "
            "Call them too if you can."
        )
        if services.cancellation_is_late(booking)
        else "",
    )


@require_http_methods(["GET", "POST"])
def my_booking_complete(request: HttpRequest, code) -> HttpResponse:
    booking = _my_booking(request, code)
    return _complete(request, booking, back=reverse("interpreters:my_booking_detail", args=[booking.code]))


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def my_booking_ics(request: HttpRequest, code) -> HttpResponse:
    booking = _my_booking(request, code)
    url = request.build_absolute_uri(reverse("interpreters:my_booking_detail", args=[booking.code]))
    return _ics_response(services.booking_ics(booking, url=url), "booking.ics")


@require_GET
def my_calendar(request: HttpRequest) -> HttpResponse:
    interpreter = selectors.interpreter_of(user=request.user)
    return render(request, "interpreters/my_calendar.html", _calendar_context(request, interpreter))


def _calendar_context(request, interpreter) -> dict:
    feed_url = request.build_absolute_uri(reverse("interpreters:calendar_feed", args=[interpreter.calendar_token]))
    return {
        "interpreter": interpreter,
        "feed_url": feed_url,
        "unavailabilities": selectors.my_unavailabilities(interpreter=interpreter),
        "form": UnavailabilityForm(),
    }


@require_POST
def my_calendar_reset(request: HttpRequest) -> HttpResponse:
    interpreter = selectors.interpreter_of(user=request.user)
    services.calendar_token_reset(interpreter=interpreter, actor=request.user, request=request)
    messages.success(request, _("New calendar address made: the old one no longer works."))
    return redirect("interpreters:my_calendar")


@require_POST
def my_unavailability_add(request: HttpRequest) -> HttpResponse:
    interpreter = selectors.interpreter_of(user=request.user)
    return submit(
        request,
        UnavailabilityForm(request.POST),
        partial(services.unavailability_add, interpreter=interpreter, actor=request.user, request=request),
        success=_("Unavailability recorded."),
        then="interpreters:my_calendar",
        template="interpreters/my_calendar.html",
        context=lambda: _calendar_context(request, interpreter),
    )


@require_GET
@never_cache
@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The interpreter's private feed, fetched by their phone's calendar without signing in."""
    interpreter = selectors.interpreter_by_token(token=token)
    text = services.ics.calendar(
        [services.booking_calendar_event(b) for b in selectors.feed_bookings(interpreter=interpreter)],
        now=clock.now(),
        name=_("IntegraPsy — interpreting"),
    )
    return HttpResponse(text, content_type="text/calendar; charset=utf-8")


# --- Timesheet --------------------------------------------------------------------------


def _timesheet(request: HttpRequest):
    access.require(request.user, Capability.VIEW_TIMESHEET)
    form = TimesheetForm(request.GET or None, interpreters=selectors.timesheet_interpreters(user=request.user))
    month = form.month_or_current()
    interpreter = form.cleaned_data.get("interpreter") if form.is_valid() else None
    return form, month, selectors.timesheet(user=request.user, month=month, interpreter=interpreter)


@require_GET
def timesheet(request: HttpRequest) -> HttpResponse:
    form, month, sheet = _timesheet(request)
    return render(
        request,
        "interpreters/timesheet.html",
        {
            "form": form,
            "month": month,
            "query": query_without(request, "format"),
            "xlsx_available": exports.xlsx_available(),
            **sheet,
        },
    )


@require_GET
def timesheet_export(request: HttpRequest) -> HttpResponse:
    form, month, sheet = _timesheet(request)
    fmt = request.GET.get("format", "csv")
    audit_record(action="timesheet.exported", request=request, object_type="timesheet", detail=f"{month:%Y-%m} {fmt}")
    filename = f"interpretes-{month:%Y-%m}"
    if fmt == "xlsx" and exports.xlsx_available():
        response = HttpResponse(
            exports.timesheet_xlsx(sheet["rows"]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    buffer = io.StringIO()
    exports.timesheet_csv(sheet["rows"], csv.writer(buffer))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
