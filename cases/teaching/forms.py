"""Forms for reading lists: every value from the browser is checked here, and errors say what to do."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.core import registry
from cases.teaching.models import ReadingList, ReadingListItem


def kind_choices():
    """Every kind the registry lets reading lists hold, by its key."""
    return [(kind.key, kind.label) for kind in registry.kinds() if kind.reading_lists]


MAX_POSITION = 100_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReadingListForm(forms.ModelForm):
    class Meta:
        model = ReadingList
        fields = ["title", "course", "description", "due_date"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"due_date": _("Optional. Shown to students on the shared list.")}
        error_messages = {"due_date": {"invalid": _("Enter the due date as YYYY-MM-DD, e.g. 2027-03-15.")}}

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and not datetime.date(2000, 1, 1) <= due <= datetime.date(2100, 12, 31):
            raise ValidationError(gettext("Give a due date between 2000 and 2100, or leave it empty."))
        return due


class AddToListForm(forms.Form):
    """Add one published archive entry to one of the instructor's lists, or to a new list."""

    kind = forms.ChoiceField(choices=kind_choices, error_messages={"invalid_choice": _("Unknown kind of entry.")})
    entry = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages=dict.fromkeys(
            ("invalid", "required", "min_value", "max_value"), _("The entry to add is missing or malformed.")
        ),
    )
    reading_list = forms.ModelChoiceField(
        queryset=ReadingList.objects.none(),
        required=False,
        label=_("Reading list"),
        empty_label=_("Start a new list…"),
        error_messages={"invalid_choice": _("Choose one of your own reading lists.")},
    )
    new_title = forms.CharField(max_length=200, required=False, label=_("Title of the new list"))

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["reading_list"].queryset = ReadingList.objects.owned_by(owner).active().order_by("-updated_at")

    def clean(self):
        data = super().clean()
        kind, pk = data.get("kind"), data.get("entry")
        if kind and pk:
            kind = registry.kind_by_key(kind)
            data["entry_object"] = kind.model_class.objects.published().filter(pk=pk).first()
            if data["entry_object"] is None:
                raise ValidationError(
                    gettext(
                        "There is no published %(kind)s with that id: it may have been withdrawn. Nothing was added."
                    )
                    % {"kind": kind.label.lower()},
                    code="no_entry",
                )
        chosen = data.get("reading_list") or data.get("new_title", "").strip()
        if not chosen and "reading_list" not in self.errors:
            self.add_error("new_title", gettext("Choose a list, or give a title for a new one."))
        return data


MAX_OWN_QUESTIONS = 20
MAX_QUESTION_CHARS = 500
# Control characters other than line breaks and tabs: nothing a person types, and PostgreSQL refuses NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CuratedQuestionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.text  # in full: an instructor chooses a question by reading it


class ItemForm(forms.ModelForm):
    class Meta:
        model = ReadingListItem
        fields = ["note", "pages", "questions", "own_questions"]
        field_classes = {"questions": CuratedQuestionField}
        labels = {
            "note": _("Your note for students"),
            "pages": _("Sections or pages to read"),
            "own_questions": _("Your own questions for discussion"),
        }
        help_texts = {
            "own_questions": format_lazy(
                _(
                    "One question per line, at most {limit}. Plain text: students see them on the shared list and "
                    "the handout, after the archive's questions you chose."
                ),
                limit=MAX_OWN_QUESTIONS,
            )
        }
        widgets = {
            "note": forms.Textarea(attrs={"rows": 4}),
            "questions": forms.CheckboxSelectMultiple,
            "own_questions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = questions
        self.fields["questions"].label = gettext("The archive's discussion questions for this case")
        self.fields["questions"].error_messages["invalid_choice"] = gettext("Choose only questions of this case.")
        self.fields["questions"].error_messages["invalid_pk_value"] = gettext("Choose only questions of this case.")
        if not questions.exists():
            del self.fields["questions"]

    def clean_own_questions(self):
        lines = [CONTROL.sub("", line).strip() for line in self.cleaned_data["own_questions"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_OWN_QUESTIONS:
            raise ValidationError(
                gettext("Give at most %(limit)s questions (there are %(count)s): one per line.")
                % {"limit": MAX_OWN_QUESTIONS, "count": len(lines)}
            )
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_QUESTION_CHARS:
                raise ValidationError(
                    gettext("Question %(number)s has %(count)s characters: shorten it to %(limit)s at most.")
                    % {"number": number, "count": len(line), "limit": MAX_QUESTION_CHARS}
                )
        return "\n".join(lines)


class MoveForm(forms.Form):
    """Move an item: one step up or down, or straight to a position."""

    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))], required=False)
    position = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_POSITION,
        error_messages={
            "invalid": _("Give the new position as a whole number."),
            "min_value": _("Positions start at 1."),
            "max_value": _("Position %(limit_value)s is past the end of any list."),
        },
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("direction") and data.get("position") is None:
            raise ValidationError(gettext("Say where to move the item: up, down, or a position number."))
        return data

    def target(self, current):
        if self.cleaned_data.get("position") is not None:
            return self.cleaned_data["position"]
        return current - 1 if self.cleaned_data["direction"] == "up" else current + 1


class ShareForm(forms.Form):
    action = forms.ChoiceField(choices=[("share", _("Share")), ("renew", _("Renew")), ("revoke", _("Revoke"))])


class ArchiveForm(forms.Form):
    archived = forms.TypedChoiceField(
        choices=[("1", pgettext_lazy("reading list", "Archive")), ("0", _("Restore"))], coerce=lambda v: v == "1"
    )
