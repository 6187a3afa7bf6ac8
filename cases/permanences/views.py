from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cases.case_file.views import case_for, case_page
from cases.consultations import selectors as consultation_selectors
from cases.models import PermanenceSlot
from cases.permanences import selectors, services
from cases.permanences.forms import (
    AttendanceForm,
    CancelSessionForm,
    CaseBookingForm,
    PermanenceSessionForm,
    SlotBookingForm,
    SlotFilterForm,
    SlotRequestDeclineForm,
    SlotRequestForm,
    WalkInForm,
    WeekFilterForm,
)
from cases.referrals import selectors as referral_selectors
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.forms import act, posted, submit
from integrapsy.params import query_without, safe_next


@require_http_methods(["GET"])
def permanence_week(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_PERMANENCES)
    form = WeekFilterForm(request.GET or None, **selectors.week_filter_choices(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    monday = selectors.week_start(filters.get("week") or clock.localdate())
    days = selectors.permanence_week(
        user=request.user,
        monday=monday,
        location=filters.get("location"),
        psychologist=filters.get("psychologist"),
    )
    may_answer = access.can(request.user, Capability.ANSWER_SLOT_REQUESTS)
    return render(
        request,
        "cases/permanence_week.html",
        {
            "form": form,
            "days": days,
            "week_is_empty": not any(day.sessions for day in days),
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous_week": (monday - timedelta(days=7)).isoformat(),
            "next_week": (monday + timedelta(days=7)).isoformat(),
            "this_week": selectors.week_start(clock.localdate()).isoformat(),
            "query": query_without(request, "week"),
            "may_plan": access.can(request.user, Capability.PLAN_PERMANENCES),
            "may_answer_requests": may_answer,
            "requests_count": selectors.slot_requests_count(user=request.user) if may_answer else 0,
        },
    )


def _session_form_kwargs(user) -> dict:
    return selectors.session_form_choices(user=user)


@require_http_methods(["GET", "POST"])
def permanence_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.PLAN_PERMANENCES)
    return submit(
        request,
        PermanenceSessionForm(posted(request), **_session_form_kwargs(request.user)),
        partial(services.permanence_session_create, actor=request.user, request=request),
        success=lambda sessions: (
            ngettext("%(count)s permanence planned.", "%(count)s permanences planned.", len(sessions))
            % {"count": len(sessions)}
        ),
        then=lambda sessions: f"{reverse('cases:permanence_week')}?week={sessions[0].date.isoformat()}",
        template="cases/form_page.html",
        context={"title": _("Plan a permanence"), "back": reverse("cases:permanence_week")},
    )


def _session_for(request: HttpRequest, code, capability: Capability | None = None):
    """The permanence if the user sees it and, when asked, holds ``capability`` in its team (404 otherwise)."""
    access.require(request.user, Capability.VIEW_PERMANENCES)
    session = selectors.permanence_get(user=request.user, code=code)
    if capability is not None and not access.may(request.user, capability, session.team_id):
        raise Http404
    return session


@require_http_methods(["GET"])
def permanence_detail(request: HttpRequest, code) -> HttpResponse:
    session = _session_for(request, code)
    return render(
        request,
        "cases/permanence_detail.html",
        {
            "session": session,
            **selectors.session_sheet(user=request.user, session=session),
            **selectors.session_flags(user=request.user, session=session),
            "slot_requests": selectors.slot_requests_to_answer(user=request.user, session=session)
            if access.may(request.user, Capability.ANSWER_SLOT_REQUESTS, session.team_id)
            else [],
        },
    )


@require_http_methods(["GET"])
def permanence_sheet(request: HttpRequest, code) -> HttpResponse:
    session = _session_for(request, code)
    return render(
        request,
        "cases/permanence_sheet.html",
        {"session": session, **selectors.session_sheet(user=request.user, session=session)},
    )


@require_http_methods(["GET"])
def permanence_attendance(request: HttpRequest, code) -> HttpResponse:
    """The day's attendance, to mark from a phone even without network: first names and times only."""
    session = _session_for(request, code, Capability.RECORD_ATTENDANCE)
    if session.is_cancelled:
        raise Http404
    sheet = selectors.session_sheet(user=request.user, session=session)
    return render(
        request,
        "cases/permanence_attendance.html",
        {"session": session, "rows": sheet["rows"], "walk_ins": [w["booking"] for w in sheet["walk_ins"]]},
    )


def _session_page(request: HttpRequest, session, form, action, *, success: str, **context) -> HttpResponse:
    """A form about one permanence on the shared form page, back to the permanence afterwards."""
    back = reverse("cases:permanence_detail", args=[session.code])
    return submit(
        request,
        form,
        action,
        success=success,
        then=back,
        template="cases/form_page.html",
        context={**context, "back": back},
    )


def _session_intro(session) -> str:
    return f"{session.location.name} — {date_format(session.date)} {time_format(session.start_time)}"


@require_http_methods(["GET", "POST"])
def permanence_cancel(request: HttpRequest, code) -> HttpResponse:
    session = _session_for(request, code, Capability.PLAN_PERMANENCES)
    return _session_page(
        request,
        session,
        CancelSessionForm(posted(request)),
        partial(services.permanence_session_cancel, session=session, actor=request.user, request=request),
        success=_("Permanence cancelled."),
        title=_("Cancel this permanence"),
        intro=_session_intro(session),
    )


def _booking_page(request: HttpRequest, session, form_class, action, **page) -> HttpResponse:
    """A booking form: the cases it offers are narrowed by the search typed above the form."""
    # No NUL: PostgreSQL refuses it in a query, and no name or reference holds one.
    q = (request.GET.get("q") or request.POST.get("q") or "").replace("\x00", "").strip()[:100]
    cases = selectors.bookable_cases(user=request.user, team=session.team, q=q, include=request.POST.get("case", ""))
    form = form_class(posted(request), cases=cases)
    case_search = {"q": q, "shown": selectors.BOOKABLE_SHOWN}
    return _session_page(request, session, form, action, case_search=case_search, **page)


@require_http_methods(["GET", "POST"])
def permanence_walk_in(request: HttpRequest, code) -> HttpResponse:
    session = _session_for(request, code, Capability.RECORD_ATTENDANCE)
    return _booking_page(
        request,
        session,
        WalkInForm,
        partial(services.permanence_walk_in_record, session=session, actor=request.user, request=request),
        success=_("Walk-in recorded."),
        title=_("Record a walk-in"),
        intro=_session_intro(session),
        offline_label=_("Walk-in"),
    )


@require_http_methods(["GET", "POST"])
def slot_book(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.BOOK_SLOTS)
    slot = selectors.slot_get(user=request.user, code=code)
    session = slot.session
    return _booking_page(
        request,
        session,
        SlotBookingForm,
        partial(services.permanence_slot_book, slot=slot, actor=request.user, request=request),
        success=_("Slot booked."),
        title=_("Book this slot"),
        intro=f"{session.location.name} — {date_format(session.date, 'SHORT_DATE_FORMAT')} {slot}",
    )


@require_http_methods(["GET", "POST"])
def case_book(request: HttpRequest, reference: str) -> HttpResponse:
    access.require(request.user, Capability.BOOK_SLOTS)
    case, _case_access = case_for(request, reference)
    slots = selectors.free_slots_for_case(user=request.user, case=case)
    queryset = PermanenceSlot.objects.filter(pk__in=[s.pk for s in slots]).select_related(
        "session", "session__location", "session__psychologist"
    )
    return submit(
        request,
        CaseBookingForm(posted(request), slots=queryset.order_by("session__date", "start_time")),
        partial(services.permanence_slot_book, case=case, actor=request.user, request=request),
        success=_("Slot booked."),
        then=reverse("cases:detail_planning", args=[case.reference]),
        template="cases/form_page.html",
        context=lambda: case_page(
            case,
            title=_("Book a permanence slot"),
            intro="" if slots else _("No free slot in the coming four weeks: plan a permanence first."),
        ),
    )


@require_http_methods(["GET", "POST"])
def booking_attendance(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.BOOK_SLOTS)
    booking = selectors.booking_get(user=request.user, code=code)
    session = booking.session
    may_record = access.may(request.user, Capability.RECORD_ATTENDANCE, session.team_id)
    back = reverse("cases:permanence_detail", args=[session.code])

    def then(booking) -> str:
        # Once the person came, a psychologist goes on to log the consultation.
        if consultation_selectors.may_log_consultation(user=request.user, booking=booking):
            url = reverse("cases:consultation_new", args=[booking.case.reference])
            return f"{url}?booking={booking.code}"
        return back

    return submit(
        request,
        AttendanceForm(posted(request), may_record=may_record, initial={"status": booking.status}),
        partial(services.booking_attendance_record, booking=booking, actor=request.user, request=request),
        success=_("Attendance recorded."),
        then=then,
        template="cases/form_page.html",
        context={
            "title": _("Attendance"),
            "intro": f"{booking.person.display_name} — {session.location.name} "
            f"{date_format(session.date, 'SHORT_DATE_FORMAT')}" + (f" {booking.slot}" if booking.slot else ""),
            "back": back,
            "offline_label": _("Attendance"),
        },
    )


@require_http_methods(["GET", "POST"])
def referral_slot_request(request: HttpRequest, code) -> HttpResponse:
    """The referrer picks a free slot of the team for the person they referred."""
    access.require(request.user, Capability.REQUEST_SLOTS)
    referral = referral_selectors.referral_get_for_referrer(user=request.user, code=code)
    state = selectors.referral_slot_requests(referral=referral)
    if not state["may_request_slot"]:
        messages.info(request, _("A slot cannot be asked now: see the answer below."))
        return redirect("cases:referral_status", code=referral.code)
    filters = SlotFilterForm(request.GET or None, locations=selectors.referral_slot_locations(referral=referral))
    location = filters.cleaned_data.get("location") if filters.is_valid() else None
    form = SlotRequestForm(posted(request))
    return submit(
        request,
        form,
        partial(services.slot_request_create, referral=referral, actor=request.user, request=request),
        success=_("Slot requested: the team will confirm it or answer you here."),
        then=reverse("cases:referral_status", args=[referral.code]),
        template="cases/referral_slot_request.html",
        context=lambda: {
            "referral": referral,
            "filters": filters,
            "days": selectors.referral_free_slots(referral=referral, location=location),
            "chosen": str(form["slot"].value() or ""),
        },
    )


@require_http_methods(["GET"])
def slot_request_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.ANSWER_SLOT_REQUESTS)
    return render(
        request,
        "cases/slot_request_list.html",
        {"title": _("Requested slots"), "rows": selectors.slot_requests_to_answer(user=request.user)},
    )


def _back(request: HttpRequest) -> str:
    return safe_next(request, reverse("cases:permanence_requests"))


@require_POST
def slot_request_confirm(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.ANSWER_SLOT_REQUESTS)
    slot_request = selectors.slot_request_get(user=request.user, code=code)
    return act(
        request,
        partial(services.slot_request_confirm, slot_request=slot_request, actor=request.user, request=request),
        success=lambda booking: (
            _("Slot confirmed: %(name)s is booked; the referrer is told.") % {"name": booking.person.display_name}
        ),
        then=_back(request),
        one_message_per_error=True,
    )


@require_http_methods(["GET", "POST"])
def slot_request_decline(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.ANSWER_SLOT_REQUESTS)
    slot_request = selectors.slot_request_get(user=request.user, code=code)
    session = slot_request.slot.session
    return submit(
        request,
        SlotRequestDeclineForm(posted(request)),
        partial(services.slot_request_decline, slot_request=slot_request, actor=request.user, request=request),
        success=_("Request declined; the referrer will read your reason."),
        then=_back(request),
        template="cases/form_page.html",
        context={
            "title": _("Decline the requested slot"),
            "intro": f"{slot_request.referral.first_name} {slot_request.referral.last_name} — "
            f"{session.location.name} {date_format(session.date, 'SHORT_DATE_FORMAT')} {slot_request.slot}",
            "back": reverse("cases:permanence_requests"),
        },
    )
