"""Template filters and tags the public pages share: Markdown, glossary links, references, pagination."""

from django import template
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from cases.core import chinese, i18n
from cases.core import markdown as archive_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text):
    """Render curated Markdown to sanitised HTML."""
    return archive_markdown.render_markdown(text)


@register.filter(is_safe=True)
def link_concepts(rendered_html, concepts):
    """Link the first occurrence of each published concept's term in rendered HTML.

    Use after `markdown`: {{ case.narrative|markdown|link_concepts:concepts }}. The view passes the
    published concepts (one query), so the filter itself never touches the database.
    """
    return archive_markdown.link_concepts(rendered_html, concepts or ())


@register.filter
def author_names(source):
    """Authors in order, "Family, Given", joined as a reference list writes them."""
    names = [str(author) for author in source.ordered_authors()]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


@register.filter
def author_links(source):
    """Display names in order, for a source's own page."""
    return format_html_join(", ", "{}", ((a.display_name,) for a in source.ordered_authors()))


@register.filter
def plain_text(text):
    """Curated Markdown as plain text (for excerpts and meta descriptions); the template escapes it."""
    return archive_markdown.plain_text(text)


@register.filter
def full_stop(text):
    """End a title with a full stop unless it already ends with punctuation ("Real Force for Change?")."""
    text = str(text).rstrip()
    return text if not text or text[-1] in ".?!…" else f"{text}."


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with another page number, keeping every other query parameter (filters)."""
    query = context["request"].GET.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


@register.filter
def shown_in_english(entry, field):
    """On a Chinese page: the field has no translation, so the English stands in (and the page says so)."""
    return chinese.shown_in_english(entry, field)


@register.simple_tag
def english_text_lang():
    """` lang="en-GB"` on a Chinese page, for the texts the archive has in English only (a narrative, a note)."""
    return mark_safe(' lang="en-GB"') if translation.get_language() in chinese.CHINESE else ""


@register.filter
def html_lang(code):
    """A Django language code as `lang` and `hreflang` write it: en-gb -> en-GB, zh-hans -> zh-Hans."""
    return i18n.html_lang(code or "")
