from django import template

from integrapsy.dates import day_month

register = template.Library()
# A booking's day in the CLDR form of the active language, with the year when it is not this one.
register.filter("booking_day", day_month)
