from django import template

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes as hours and minutes: 90 → "1 h 30", 45 → "45 min"."""
    minutes = int(minutes or 0)
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h} h {m:02d}" if m else f"{h} h"
