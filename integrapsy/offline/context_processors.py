from django.conf import settings


def offline(request) -> dict:
    """How long the browser keeps the offline queue (for the banner's script) and the server its keys."""
    return {
        "offline_max_age_hours": settings.OFFLINE_MAX_AGE_HOURS,
        "offline_key_retention_days": settings.OFFLINE_KEY_RETENTION_DAYS,
    }
