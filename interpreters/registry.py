"""What interpreters add: timeline kinds, menu entries, home panels, a case block, GDPR providers."""

from django.utils.translation import gettext_lazy as _

from cases.panels import PLANNING, CasePanel, register_case_panel
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.gdpr import register_eraser, register_subject_provider
from integrapsy.jinja import register_global
from integrapsy.navigation import HomePanel, NavItem, register_home_panel, register_nav
from interpreters import gdpr, panels
from interpreters import messages as _messages  # noqa: F401 — the messages to interpreters
from interpreters import reminders as _reminders  # noqa: F401 — their appointments get text reminders
from interpreters.services import booking_event_summary
from interpreters.templatetags.bookings import booking_status

register_global("booking_status", booking_status)

register(
    {
        "booking.requested": EventKind(_("Interpreter requested"), summary=booking_event_summary),
        "booking.offered": EventKind(_("Booking offered to an interpreter"), summary=booking_event_summary),
        "booking.declined": EventKind(_("The interpreter declined the booking"), summary=booking_event_summary),
        "booking.confirmed": EventKind(_("Interpreter booking confirmed"), summary=booking_event_summary),
        "booking.completed": EventKind(_("Interpreting done"), summary=booking_event_summary),
        "booking.cancelled": EventKind(_("Interpreter booking cancelled"), summary=booking_event_summary),
        "booking.withdrawn": EventKind(_("The interpreter withdrew from the booking"), summary=booking_event_summary),
        "booking.no_show": EventKind(_("Interpreter booking: no-show"), summary=booking_event_summary),
    }
)
register_families({"booking": _("Interpreters")})
register_nav(
    NavItem(
        _("Interpreters"),
        "interpreters:booking_list",
        Capability.VIEW_BOOKINGS,
        order=30,
        active_prefix="interpreters:booking_",
    ),
    NavItem(
        _("My bookings"),
        "interpreters:my_bookings",
        Capability.INTERPRET,
        order=10,
        active_prefix="interpreters:my_booking",
    ),
    NavItem(_("My calendar"), "interpreters:my_calendar", Capability.INTERPRET, order=11),
    NavItem(_("Timesheet"), "interpreters:timesheet", Capability.VIEW_TIMESHEET, order=40),
)
register_home_panel(
    HomePanel(
        "interpreters/_home_coordinator.html",
        Capability.MANAGE_BOOKINGS,
        panels.coordinator_home,
        order=20,
    ),
    HomePanel(
        "interpreters/_home_interpreter.html",
        Capability.INTERPRET,
        panels.interpreter_home,
        order=5,
    ),
)
register_case_panel(CasePanel("interpreters/_case_bookings.html", panels.case_bookings, order=25, section=PLANNING))
register_subject_provider("interpreters", gdpr.subject_data)
register_eraser("interpreters", gdpr.erase)
