"""Submissions per account and hour, counted in the cache (Redis in production, memory for ``make run``).

One account sending hundreds of referrals in a few minutes is a script or a stolen password,
not a reception centre: past the limit, the service refuses with a message beside the form.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "referral": _("This account has sent many referrals in the last hour: wait a little, or call the team."),
    "slot_request": _("This account has asked for many slots in the last hour: wait a little, or call the team."),
    "export": _("This account has downloaded many exports in the last hour: wait a little before the next one."),
}


def consume(*, user, action: str) -> None:
    """Count one ``action`` of ``user`` in the current window; refuse it past the limit."""
    limit, seconds = settings.RATE_LIMITS[action]
    key = f"ratelimit:{action}:{user.pk}:{int(time.time() // seconds)}"
    cache.add(key, 0, timeout=seconds + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 60)
        count = 1
    if count > limit:
        raise ValidationError(MESSAGES[action], code="rate_limited")
