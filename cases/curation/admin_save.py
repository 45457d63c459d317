"""A cheap admin save: what the curator left as it was is not checked, read or written again.

A curator usually changes one or two fields of an entry whose change form also posts back every other field
and every inline row. All of those were valid when they were saved and the database still holds them, so:

- the rows of an inline formset skip their validation when none of them changed (as Django already does for an
  empty extra row); when one is added, changed or deleted, every row is validated as usual (the checks across
  rows need them all);
- in the entry's own form, a relation left as it was takes the row the entry already holds (no lookup of the
  chosen row), and a field left as it was is not validated again against the database, unless a constraint
  (a check, a uniqueness) also covers a field that did change: then all of that constraint's fields are;
- a many-to-many relation left as it was is not written again;
- django-reversion follows an entry's child rows from the rows its inline formsets already read, and the
  many-to-many values from the ones the form read;
- the admin's own transaction joins the one the revision opened instead of adding a savepoint.
"""

from contextlib import contextmanager

import reversion
from django import forms
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet
from django.forms.utils import ErrorDict
from reversion.models import Revision
from reversion.revisions import _get_options

from cases.core import registry

from .loading import forget, held, with_rows
from .versions import save_revision


def _is_existing(instance):
    return instance is not None and instance.pk is not None and not instance._state.adding


class UnchangedFieldsFormMixin:
    """For a ModelForm editing a saved entry: skip the checks and writes of what the curator left as it was."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._editing_saved_row = self.is_bound and _is_existing(self.instance)

    def _unchanged(self):
        if not self._editing_saved_row:
            return set()
        return set(self.fields) - set(self.changed_data)

    def _known_relation_values(self):
        """{field name: cleaned value} for relation fields left as they were: the rows the entry holds."""
        known = {}
        unchanged = self._unchanged()
        for field in self.instance._meta.get_fields():
            name = field.name
            if name not in unchanged or not getattr(field, "concrete", False):
                continue
            form_field = self.fields[name]
            if field.many_to_one and isinstance(form_field, forms.ModelChoiceField):
                if form_field.to_field_name not in (None, field.target_field.name):
                    continue
                if getattr(self.instance, field.attname) is None:
                    continue
                if self.initial.get(name) != getattr(self.instance, field.attname):
                    continue
                known[name] = getattr(self.instance, name)  # already read with the entry (or read once now)
            elif field.many_to_many and isinstance(form_field, forms.ModelMultipleChoiceField):
                initial = self.initial.get(name)
                if not initial or form_field.to_field_name not in (None, field.related_model._meta.pk.name):
                    continue  # an empty value costs no query to clean
                known[name] = form_field.queryset.filter(pk__in=[obj.pk for obj in initial])
        return known

    def _clean_fields(self):
        known = self._known_relation_values()
        if not known:
            return super()._clean_fields()
        # As Django's own, except that relations left as they were take the rows already known.
        for name, bound_field in self._bound_items():
            try:
                if name in known:
                    self.cleaned_data[name] = known[name]
                else:
                    self.cleaned_data[name] = bound_field.field._clean_bound_field(bound_field)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        unchanged = self._unchanged()
        if not unchanged:
            return exclude
        changed = set(self.fields) - unchanged
        for fields in _constrained_field_sets(self.instance._meta):
            if fields is None:  # a constraint whose fields cannot be told: check everything
                return exclude
            if fields & changed:  # a constraint over a changed field is checked with all of its fields
                unchanged -= fields
        return exclude | unchanged

    def _save_m2m(self):
        # A many-to-many relation left as it was is not written again (nor its signals sent).
        held = {}
        if self._editing_saved_row:
            unchanged = self._unchanged()
            for field in self.instance._meta.many_to_many:
                if field.name in unchanged and field.name in self.cleaned_data:
                    held[field.name] = self.cleaned_data.pop(field.name)
        try:
            super()._save_m2m()
        finally:
            self.cleaned_data.update(held)


class ArchiveRowForm(forms.ModelForm):
    """An inline row: not validated again when its formset marks it unchanged (see ArchiveInlineFormSet)."""

    unchanged_row = False

    def full_clean(self):
        if self.unchanged_row:
            # What Django does for an empty extra row: no errors, nothing cleaned, nothing saved.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()


class ArchiveInlineFormSet(BaseInlineFormSet):
    """Inline rows the curator left as they were are not validated again, when none of them changed.

    All or nothing: when a row is added, changed or deleted, every row is validated as Django does, so the checks
    across rows (two rows with the same unique values) still see every row.
    """

    def get_queryset(self):
        # The rows read with the entry (CheapSaveAdminMixin.get_object), when this formset edits all of them.
        if not hasattr(self, "_queryset") and _is_existing(self.instance):
            cached = getattr(self.instance, "_prefetched_objects_cache", {}).get(self.fk.remote_field.cache_name)
            plain = self.model._default_manager.filter(**{self.fk.name: self.instance})
            if cached is not None and self.queryset.query.where == plain.query.where:
                self._queryset = cached
        return super().get_queryset()

    def full_clean(self):
        if self.is_bound and _is_existing(self.instance) and not self.has_changed():
            for form in self.initial_forms:
                if _is_existing(form.instance):
                    form.unchanged_row = True
        super().full_clean()


def _constrained_field_sets(opts):
    """The sets of fields each uniqueness or check of the model covers (None: cannot be told)."""
    for field in opts.concrete_fields:
        if field.unique and not field.primary_key:
            yield {field.name}
        if field.unique_for_date or field.unique_for_month or field.unique_for_year:
            yield None
    for together in opts.unique_together:
        yield set(together)
    for constraint in opts.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.expressions:
            names = set(constraint.fields)
            if constraint.condition is not None:
                names |= set(constraint.condition.referenced_base_fields)
            yield names
        elif isinstance(constraint, models.CheckConstraint):
            yield set(constraint.condition.referenced_base_fields)
        else:
            yield None


class ArchiveModelForm(UnchangedFieldsFormMixin, forms.ModelForm):
    pass


class CheapSaveAdminMixin:
    """The admin side of a cheap save (see the module docstring). Put before reversion's VersionAdmin."""

    form = ArchiveModelForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return super().changeform_view(request, object_id, form_url, extra_context)
        # Django opens a savepoint here when the revision's transaction is already open; joining it is the
        # same (an error rolls the whole request back) without the SAVEPOINT and RELEASE queries.
        with transaction.atomic(using=router.db_for_write(self.model), savepoint=False):
            return self._changeform_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        request._archive_form_post = request.method == "POST"
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        request._archive_form_post = request.method == "POST"
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        if request.method != "POST" or from_field is not None or TO_FIELD_VAR in request.GET:
            return super().get_object(request, object_id, from_field)
        # The entry with its rows, in one query: the form's initial values, the inline rows, the revision and the
        # search document all read them from there. What the changelist prefetches for its labels is not needed.
        model = self.model
        queryset = self.get_queryset(request).prefetch_related(None)
        queryset = queryset.select_related(*[f.name for f in model._meta.concrete_fields if f.many_to_one])
        queryset, attach = with_rows(queryset, entry_relations(model))
        try:
            obj = queryset.get(pk=model._meta.pk.to_python(object_id))
        except (model.DoesNotExist, ValidationError, ValueError):
            return None
        attach(obj)
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        entry = form.instance
        for formset in formsets:
            _settle_rows(entry, formset)
        request._archive_saved = (entry, formsets)
        # Every row of the entry is now saved and in hand: its search documents need not be read again.
        registry.service("index_in_hand")(entry)

    @contextmanager
    def create_revision(self, request):
        if not getattr(request, "_archive_form_post", False):
            with super().create_revision(request):
                yield
            return
        # The revision of a posted form is built from the entry and the rows in hand once all are saved (see
        # versions.save_revision), not row by row as each is saved.
        using = router.db_for_write(Revision)
        with reversion.create_revision(manage_manually=True, using=using):
            reversion.set_user(request.user)
            yield
            saved = getattr(request, "_archive_saved", None)
            if saved is not None and not transaction.get_rollback(using):
                entry, formsets = saved
                extra = [
                    row
                    for formset in formsets
                    for row in (
                        *getattr(formset, "new_objects", ()),
                        *(o for o, _ in getattr(formset, "changed_objects", ())),
                    )
                ]
                save_revision(
                    entry,
                    also=extra,
                    user=reversion.get_user(),
                    comment=reversion.get_comment(),
                    date_created=reversion.get_date_created(),
                    using=using,
                )


def entry_relations(model):
    """{relation: foreign keys of its rows} read with an entry when its form is posted: its many-to-many fields,
    the parts its kind declares (with the entries a part's label and publication depend on, a role's
    organisation) and whatever else its revision follows."""
    relations = {}
    for field in model._meta.many_to_many:
        if field.remote_field.through._meta.auto_created and field.editable:
            relations[field.name] = ()
    kind = registry.kind_for(model)
    for name, others in (kind.parts if kind else {}).items():
        part = model._meta.get_field(name).related_model
        relations[name] = tuple(o for o in others if "__" not in o and part._meta.get_field(o).many_to_one)
    if reversion.is_registered(model):
        for name in _get_options(model).follow:
            relations.setdefault(name, ())
    return relations


def _settle_rows(entry, formset):
    """After its formset is saved, keep the entry's rows of that relation in hand only while they are current.

    Rows changed in place stay (they are the instances the formset changed) unless the change may move them
    in the relation's order; with rows added or deleted the relation is read again when next needed.
    """
    fk = getattr(formset, "fk", None)
    if fk is None:
        return
    accessor = fk.remote_field.get_accessor_name()
    rows = held(entry, accessor)
    if rows is None:
        return
    changed = getattr(formset, "changed_objects", ())
    if not (changed or getattr(formset, "new_objects", ()) or getattr(formset, "deleted_objects", ())):
        return
    ordering = {term.lstrip("-").split("__")[0] for term in formset.model._meta.ordering if isinstance(term, str)}
    in_hand = getattr(formset, "_queryset", None) is getattr(entry, "_prefetched_objects_cache", {}).get(
        fk.remote_field.cache_name
    )
    moved = any(ordering & set(fields) for _obj, fields in changed)
    if not in_hand or moved or formset.new_objects or formset.deleted_objects:
        forget(entry, accessor)
