"""A reference list entry in one of the styles the archive offers."""

from django.utils.safestring import mark_safe

from cases.citations.formats.apa import apa_reference
from cases.citations.formats.chicago import chicago_reference

STYLES = ("apa", "chicago")


def format_reference(item, style="apa"):
    """The reference list entry for `item` in `style` ("apa" or "chicago"): HTML, titles in <i>."""
    if style == "apa":
        return mark_safe(apa_reference(item))
    if style == "chicago":
        return mark_safe(chicago_reference(item))
    raise ValueError(f"Unknown citation style {style!r}: use one of {', '.join(STYLES)}.")
