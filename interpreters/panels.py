"""What the interpreters app adds to the home page and the case page."""

from integrapsy import access
from interpreters import selectors


def coordinator_home(*, user) -> dict:
    return selectors.open_bookings_for_coordinator(user=user)


def interpreter_home(*, user) -> dict:
    mine = selectors.my_bookings(user=user)
    return {"offers": mine["offers"], "upcoming": mine["upcoming"][:3]}


def case_bookings(*, user, case, case_access) -> dict:
    if not access.can(user, access.Capability.VIEW_BOOKINGS):
        return {}
    return {
        # A booking is linked when the user's team asked for it (a team the case is shared with may not).
        "bookings": [
            {"booking": b, "may_open": access.may(user, access.Capability.VIEW_BOOKINGS, b.team_id)}
            for b in selectors.case_bookings(user=user, case=case)
        ],
        "may_request": access.can(user, access.Capability.REQUEST_BOOKINGS) and not case.is_closed,
    }
