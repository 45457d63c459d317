"""Tags that other pages include: a case's timeline and the debate's spectrum."""

from django import template

from cases.visual import debate
from cases.visual.timeline import case_axis

register = template.Library()


@register.inclusion_tag("visual/includes/case_timeline.html")
def case_timeline(case):
    """The case's events as an ordered list with a drawn axis; reads only what the case page prefetched."""
    events = list(case.events.all())
    return {"case": case, "events": events, "axis": case_axis(case, events)}


@register.inclusion_tag("visual/includes/debate_spectrum.html")
def debate_spectrum():
    """The positions on a line from the most critical to the most hopeful (one query)."""
    return {"spectrum": debate.spectrum()}
