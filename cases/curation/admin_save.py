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

from django import forms
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import prefetch_related_objects
from django.forms.models import BaseInlineFormSet
from django.forms.utils import ErrorDict


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

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST" and TO_FIELD_VAR not in request.GET:
            # Read once: the form's initial values and the revision's copy of the entry both use them.
            names = [
                f.name for f in obj._meta.many_to_many if f.remote_field.through._meta.auto_created and f.editable
            ]
            prefetch_related_objects([obj], *names)
        return obj

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        if change and request.method == "POST":
            obj._archive_formsets = formsets
        return formsets, inline_instances

    def save_model(self, request, obj, form, change):
        seeded = _seed_child_rows(obj, getattr(obj, "_archive_formsets", ()))
        try:
            super().save_model(request, obj, form, change)
        finally:
            for accessor in seeded:
                obj._prefetched_objects_cache.pop(accessor, None)
            obj.__dict__.pop("_archive_formsets", None)


def _seed_child_rows(obj, formsets):
    """Let the revision follow `obj`'s child rows from the rows its inline formsets read (no query again).

    Only a formset that read every row of its relation counts: one given nothing to read (no permission, or no
    row posted back) is left for django-reversion to read itself.
    """
    seeded = []
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    for formset in formsets:
        fk = getattr(formset, "fk", None)
        queryset = getattr(formset, "_queryset", None)
        if fk is None or queryset is None or queryset._result_cache is None or queryset.query.is_empty():
            continue
        accessor = fk.remote_field.get_accessor_name()
        if accessor and accessor not in cache:
            for row in queryset._result_cache:
                if getattr(row, fk.attname) == obj.pk and not fk.is_cached(row):
                    fk.set_cached_value(row, obj)  # its label names the entry: no query for it
            cache[accessor] = queryset
            seeded.append(accessor)
    return seeded
