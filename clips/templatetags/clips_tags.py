"""Template tags for clips on pages of other apps (the cycle page), so that coaching never
imports clips: ``{% load clips_tags %}{% cycle_clips cycle as cc %}``."""

from django import template

from clips import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def cycle_clips(context, cycle) -> selectors.CycleClips | None:
    request = context.get("request")
    if request is None or cycle is None:
        return None
    return selectors.cycle_clips(user=request.user, cycle=cycle)


@register.filter
def clip_time(seconds) -> str:
    """Seconds as m:ss."""
    try:
        whole = int(float(seconds))
    except (TypeError, ValueError):
        return ""
    return f"{whole // 60}:{whole % 60:02d}"
