"""Pieces of teaching shown on the archive's pages: the "Add to reading list" form and discussion questions."""

from django import template

from cases.teaching import selectors
from cases.teaching.models import kind_of

register = template.Library()


@register.inclusion_tag("teaching/includes/add_to_list_form.html", takes_context=True)
def add_to_list_form(context, entry):
    """The instructor's lists to add `entry` to. Only rendered for instructors (the include checks)."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "entry": entry,
        "kind": kind_of(entry),
        "lists": list(selectors.active_lists_for_owner(request.user)),
    }


@register.simple_tag
def discussion_questions(case):
    """The published discussion questions of a case, in order (one query)."""
    return list(selectors.questions_for_case(case))


@register.filter
def cooloff_minutes(value):
    """A cool-off period (timedelta) in words: "15 minutes", "1 minute", "2 hours"."""
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes % 60 == 0 and minutes >= 120:
        return f"{minutes // 60} hours"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
