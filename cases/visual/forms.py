"""Forms for the network's filters and the comparison's picker: bad input becomes a message, never an error page."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.interventions.models import Intervention
from cases.organisations.models import RelationKind
from cases.visual import selectors

MIN_CASES, MAX_CASES = 2, 3


def has_nul(querydict):
    """PostgreSQL refuses NUL bytes in text: such a query is answered with 400 before it reaches the database."""
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists())


class NetworkForm(forms.Form):
    relation = forms.ChoiceField(
        choices=[("", _("All relations")), *RelationKind.choices], required=False, label=_("Relation")
    )
    case = forms.ModelChoiceField(
        queryset=Intervention.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All cases"),
        label=_("Case"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = selectors.network_cases()

    @property
    def case_choices(self):
        return self.fields["case"].queryset


class CompareForm(forms.Form):
    """Two or three published cases, each chosen once. Empty pickers are ignored."""

    cases = forms.MultipleChoiceField(required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            data.setlist("cases", [value.strip() for value in data.getlist("cases") if value.strip()])
        super().__init__(data, **kwargs)
        self.choices = list(selectors.compare_choices())
        self.fields["cases"].choices = [(case.slug, case.title) for case in self.choices]
        self.fields["cases"].error_messages["invalid_choice"] = gettext(
            "“%(value)s” is not a published case: choose the cases from the lists."
        )

    def clean_cases(self):
        slugs = self.cleaned_data["cases"]
        if len(set(slugs)) != len(slugs):
            raise forms.ValidationError(gettext("You chose the same case twice: choose different cases."))
        if not MIN_CASES <= len(slugs) <= MAX_CASES:
            raise forms.ValidationError(
                gettext("Choose two or three cases to compare (you chose %(count)s).") % {"count": len(slugs)}
            )
        return slugs
