"""Pieces of teaching shown on the archive's pages: the "Add to reading list" form and a cool-off in words.

Tags here never query: the views fetch through cases.teaching.selectors and pass what the tags show
(tests/test_templatetags_queries.py fails otherwise).
"""

from django import template
from django.utils.translation import ngettext

from cases.teaching.models import kind_of

register = template.Library()


@register.inclusion_tag("teaching/includes/add_to_list_form.html", takes_context=True)
def add_to_list_form(context, entry, lists):
    """The form adding `entry` to one of `lists`, the instructor's lists that the view read (`reading_lists`,
    from selectors.lists_to_add_to). Only rendered for instructors (the include checks).
    """
    if lists is None or isinstance(lists, str):  # a view that forgot to pass them: fail loudly, not empty
        raise template.TemplateSyntaxError(
            "add_to_list_form needs the instructor's lists: pass reading_lists=selectors.lists_to_add_to(user)"
        )
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "entry": entry,
        "kind": kind_of(entry),
        "lists": lists,
        "messages": context.get("messages"),  # "Added … to …", shown where the form is
        "next": request.get_full_path(),  # the view checks it before going back there
    }


@register.filter
def cooloff_minutes(value):
    """A cool-off period (timedelta) in words: "15 minutes", "1 minute", "2 hours"."""
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes % 60 == 0 and minutes >= 120:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
