"""Template filters for core.formatting: ``{{ minutes|hours }}``, ``{{ day|day_written }}``."""

from django import template

from core import formatting

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    return formatting.hours(minutes)


@register.filter
def day_written(day) -> str:
    return formatting.day_as_written(day) if day else ""
