"""The base classes every app's admin builds on: publication actions, read-only timestamps, the revision history,
a cheap save, and source choices without N+1 queries. The admins of sources, authors and places are in
cases/site/admin.py."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.core.models import Source, SourceAuthor

from .admin_mixins import HistoryAdminMixin, WorkflowAdminMixin
from .admin_mixins.lock import LockAdminMixin
from .admin_mixins.review import ReviewAdminMixin
from .admin_save import (
    ArchiveInlineFormSet,
    ArchiveRowForm,
    CheapSaveAdminMixin,
    UnchangedFieldsFormMixin,
)
from .admin_search import RankedSearchMixin, labelled_choices
from .quotation_check import QuotationCheckFormMixin, describe
from .versions import register_archive_models

# Versioned with their child rows (events, evidence, roles...) before the admins below register them.
register_archive_models()


def source_authors(path="authorships"):
    """Prefetch a source's ordered author list at `path` (e.g. "source__authorships").

    A source's `str()` is its author label, which reads that list: without this, one query per source shown.
    """
    return Prefetch(path, queryset=SourceAuthor.objects.select_related("author"))


def sources_with_authors():
    return Source.objects.prefetch_related(source_authors())


class CuratedAdminForm(UnchangedFieldsFormMixin, forms.ModelForm):
    """Says which entry already holds a slug, instead of the generic "… with this Slug already exists".

    `public_note` is not stored on the entry: when the save changes what the public sees (publishing it, or a
    change to it while published), it is the note of the new public version in the change log (/changes/)."""

    public_note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=300,
        help_text=_(
            "Shown in the public change log (/changes/) when this save changes the public page, e.g. “Corrected the "
            "date of the strike (p. 12).” Leave empty for a plain “Corrected or updated.” Never write private "
            "remarks here: use the curator note. A change waiting for approval takes the approver’s note."
        ),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self._editing_saved_row and "slug" not in self.changed_data:
            return slug  # the entry's own slug, unique in the database
        holder = type(self.instance)._default_manager.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if holder is not None:
            raise forms.ValidationError(
                gettext(
                    "The slug “%(slug)s” is already used by “%(holder)s” (%(status)s): "
                    "choose another one, for example “%(slug)s-2”."
                )
                % {"slug": slug, "holder": holder, "status": holder.get_status_display().lower()},
                code="duplicate_slug",
            )
        return slug


class QuotationRowForm(QuotationCheckFormMixin, ArchiveRowForm):
    """An inline row with a quotation, checked against its source's text when it changed."""


class QuotationCuratedForm(QuotationCheckFormMixin, CuratedAdminForm):
    """An entry with a quotation, checked against its source's text when it changed."""


class QuotationModelForm(QuotationCheckFormMixin, forms.ModelForm):
    """A row with a quotation edited on its own page, checked against its source's text when it changed."""


class QuotationCheckAdminMixin:
    """Shows, read-only, where the quotation sits in its source's text (section and context), or that it is not
    there. Add "quotation_check" to the fields."""

    @admin.display(description=_("Checked against the source’s text"))
    def quotation_check(self, obj):
        return describe(obj) if obj is not None else ""


# What to do when a required field is left empty, instead of "This field is required."
REQUIRED_MESSAGES = {
    "locator": _("Give the page or section of the source where it says so (e.g. “p. 664” or “Introduction”)."),
    "quotation": _("Paste the exact words of the source: evidence is a short quotation."),
    "sentence": _("Paste the exact sentence of the source that links the case to the position."),
    "source": _("Choose the source that says so: every fact in the archive has one."),
}


class SourceChoicesMixin:
    """A source's label lists its authors: fetch them with the choices, not one query per option.
    Also: required fields say what to fill in."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and field.required and db_field.name in REQUIRED_MESSAGES:
            field.error_messages = {**field.error_messages, "required": REQUIRED_MESSAGES[db_field.name]}
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        label = labelled_choices(self, db_field, kwargs)
        if db_field.related_model is Source and "queryset" not in kwargs:
            kwargs["queryset"] = sources_with_authors()
        return _labelled(super().formfield_for_foreignkey(db_field, request, **kwargs), label)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        label = labelled_choices(self, db_field, kwargs)
        return _labelled(super().formfield_for_manytomany(db_field, request, **kwargs), label)


def _labelled(field, label):
    # The autocomplete widget labels the options already chosen with the field's label_from_instance: the same
    # label as its search results.
    if field is not None and label is not None:
        field.label_from_instance = label
    return field


class TextareaField(forms.CharField):
    """Browsers post a textarea's line breaks as CRLF: read as LF, an untouched text is not a change (no
    re-save, no review, no false difference in the history) and saved texts keep one kind of line break."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


TEXT_FIELDS = {models.TextField: {"form_class": TextareaField}}


class ArchiveInlineMixin(SourceChoicesMixin):
    # Saved rows the curator did not change are not validated again (cases/curation/admin_save.py).
    form = ArchiveRowForm
    formfield_overrides = TEXT_FIELDS
    formset = ArchiveInlineFormSet
    extra = 0
    show_change_link = True


class ArchiveTabularInline(ArchiveInlineMixin, admin.TabularInline):
    pass


class ArchiveStackedInline(ArchiveInlineMixin, admin.StackedInline):
    pass


class ArchiveModelAdmin(
    RankedSearchMixin,
    ReviewAdminMixin,
    LockAdminMixin,
    SourceChoicesMixin,
    CheapSaveAdminMixin,
    HistoryAdminMixin,
    admin.ModelAdmin,
):
    """Defaults for every admin of the archive: the revision history (compare, revert, recover deleted), changes to
    what the public sees waiting for a senior curator's approval, change forms refused when built from an
    older version of the entry (optimistic locking), and search ranked by what a curator means
    (cases/curation/admin_search.py)."""

    formfield_overrides = TEXT_FIELDS

    change_form_template = "curation/change_form.html"
    save_on_top = True
    list_per_page = 50
    list_max_show_all = 500


class CuratorNoteFilter(admin.SimpleListFilter):
    """Entries whose curator note says something still needs checking."""

    title = _("curator note")
    parameter_name = "has_note"

    def lookups(self, request, model_admin):
        return (("yes", _("Has a note (something to check)")), ("no", _("No note")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(curator_note="")
        if self.value() == "no":
            return queryset.filter(curator_note="")
        return queryset


class CuratedAdmin(WorkflowAdminMixin, ArchiveModelAdmin):
    """An entry a curator writes and publishes: status in lists and filters, the workflow (checked moves, a log
    of them on the change page, bulk actions), a preview of drafts and a link to the public page once published.
    A duplicate slug is refused with a message naming the entry that holds it."""

    form = CuratedAdminForm
    search_help_text = _("Titles, names, aliases, slugs, quotations, locators…")
    readonly_fields = ("published_at", "created_at", "updated_at")
    actions = ("publish_selected", "send_to_review", "return_to_draft", "withdraw_selected")
    publication_fieldset = (
        _("Publication"),
        {
            "fields": (
                "status",
                "public_note",
                "preview_link",
                "curator_note",
                "workflow_history",
                "published_at",
                "created_at",
                "updated_at",
            )
        },
    )

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), CuratorNoteFilter)
