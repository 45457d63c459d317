from django import forms
from django.utils.translation import gettext_lazy as _

from .documents import choices
from .query import MAX_LENGTH, QueryError, clean_text, parse

MAX_PAGE = 500


class SearchForm(forms.Form):
    """The search box: the text, an optional kind to narrow to, and a page within that kind."""

    q = forms.CharField(label=_("Search the archive"), required=False, strip=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=lambda: [("", _("All kinds")), *choices()])

    def clean_q(self):
        try:
            return clean_text(self.cleaned_data["q"])
        except QueryError as error:
            raise forms.ValidationError(str(error)) from error

    @property
    def parsed(self):
        return parse(self.cleaned_data.get("q", ""))

    @staticmethod
    def page_number(value):
        """A malformed or absurd page number gives the first page, not an error."""
        try:
            number = int(value or 1)
        except (TypeError, ValueError):
            return 1
        return min(max(number, 1), MAX_PAGE)


__all__ = ["SearchForm", "MAX_LENGTH"]
