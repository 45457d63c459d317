"""Tags that other pages include: a case's timeline. (The debate map is an include: the view passes `spectrum`.)

Tags here never query: they read what the view prefetched (tests/test_templatetags_queries.py fails otherwise).
"""

from django import template

from cases.visual.timeline import case_axes

register = template.Library()


@register.inclusion_tag("visual/includes/case_timeline.html")
def case_timeline(case):
    """The case's events as an ordered list with a drawn axis; reads only what the case page prefetched."""
    events = list(case.events.all())
    axis, narrow_axis = case_axes(case, events)
    return {"case": case, "events": events, "axis": axis, "narrow_axis": narrow_axis}
