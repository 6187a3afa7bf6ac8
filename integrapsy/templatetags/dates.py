"""``{% load dates %}``: the filters of ``integrapsy.dates``."""

from django import template

from integrapsy import dates

register = template.Library()
register.filter("day_month", dates.day_month)
