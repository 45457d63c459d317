"""A cheap admin save: what the curator left as it was is not checked, read or written again.

A curator usually changes one or two fields of an entry whose change form also posts back every other field
and every inline row. All of those were valid when they were saved and the database still holds them, so:

- the entry is read with all its rows in one query (loading.py): the form, the inline formsets, the revision
  and the search documents take them from there;
- an inline row left as it was is not validated again (as Django already does for an empty extra row). Added
  and changed rows are checked against each other as Django does, and against the database, which holds the
  unchanged rows as they were posted back;
- in the entry's form and in a changed row, a relation left as it was takes the row already held (no lookup
  of the chosen row), and a field left as it was is not validated again against the database, unless a
  constraint (a check, a uniqueness) also covers a field that did change: then all of that constraint's
  fields are;
- a many-to-many relation left as it was is not written again;
- the revision is built once everything is saved, from the rows in hand (versions.save_revision), and the
  search documents too (search/signals.py, Pending.hold);
- the admin's own transaction joins the one the revision opened instead of adding a savepoint.
"""

from contextlib import contextmanager

import reversion
from django import forms
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
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
        pk = self.instance._meta.pk
        row_key = self.fields.get(pk.name)
        if (
            pk.name in unchanged
            and isinstance(row_key, forms.ModelChoiceField)  # an inline row's own key, added by its formset
            and row_key.queryset.model is type(self.instance)
            and str(self[pk.name].data) == str(self.instance.pk)
        ):
            known[pk.name] = self.instance
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
                value = getattr(self.instance, field.attname)
                if self.initial.get(name) != value:
                    continue
                if field.is_cached(self.instance) or field.target_field != field.related_model._meta.pk:
                    known[name] = getattr(self.instance, name)  # read with the entry (or read once now)
                else:
                    # Only its key is written back: the rest of the row is read if anything asks for it.
                    known[name] = field.related_model.from_db(
                        self.instance._state.db, [field.target_field.attname], [value]
                    )
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


class ArchiveRowForm(UnchangedFieldsFormMixin, forms.ModelForm):
    """An inline row: not validated again when its formset marks it unchanged (see ArchiveInlineFormSet), and when
    changed, only what changed is checked again."""

    unchanged_row = False

    def full_clean(self):
        if self.unchanged_row:
            # What Django does for an empty extra row: no errors, nothing cleaned, nothing saved.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()


class ArchiveInlineFormSet(BaseInlineFormSet):
    """Inline rows the curator left as they were are not validated again.

    Django checks the rows' uniqueness twice: each row against the database, and the rows against each other.
    An unchanged row passed the first when it was saved and still holds the same values in the database, so
    a changed or added row that takes its values is refused by its own check against the database; the rows
    that changed are still checked against each other.
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
        dated = any(f.unique_for_date or f.unique_for_month or f.unique_for_year for f in self.model._meta.fields)
        if self.is_bound and _is_existing(self.instance) and not dated:
            for form in self.initial_forms:
                if _is_existing(form.instance) and not form.has_changed():
                    form.unchanged_row = True
        super().full_clean()

    def validate_unique(self):
        # Django checks the rows against each other here, from what each row cleaned: the rows left as they were
        # cleaned nothing, so the others are also checked against the values they hold.
        super().validate_unique()
        kept = [form for form in self.initial_forms if form.unchanged_row]
        checked = [
            form
            for form in self.forms
            if not form.unchanged_row and form not in self.deleted_forms and form.is_valid() and form.cleaned_data
        ]
        if not kept or not checked:
            return
        opts = self.model._meta
        errors = []
        for form in checked:
            exclude = form._get_validation_exclusions()
            unique_checks, _dates = form.instance._get_unique_checks(exclude=exclude, include_meta_constraints=True)
            for _model, fields in unique_checks:
                own = [f for f in fields if f not in self.unique_fields]  # the entry's key is the same in every row
                if not all(form.cleaned_data.get(f) is not None for f in own):
                    continue
                values = [_comparable(opts.get_field(f), form.cleaned_data[f]) for f in own]
                if any(values == [getattr(other.instance, opts.get_field(f).attname) for f in own] for other in kept):
                    errors.append(self.get_unique_error_message(fields))
                    form._errors[NON_FIELD_ERRORS] = self.error_class([self.get_form_error()], renderer=self.renderer)
                    for field in fields:
                        form.cleaned_data.pop(field, None)
        if errors:
            raise ValidationError(errors)


def _comparable(field, value):
    """A cleaned value as the row holds it in its column (a related row by its key)."""
    if field.is_relation and isinstance(value, models.Model):
        return getattr(value, field.target_field.attname)
    return value


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
        if any(getattr(formset, "deleted_objects", ()) for formset in formsets):
            # A deletion may cascade to rows of other relations: read them all again when next needed.
            entry.__dict__.pop("_prefetched_objects_cache", None)
        for formset in formsets:
            _settle_rows(entry, formset)
        request._archive_saved = (entry, formsets)
        # Every row of the entry is now saved and in hand: its search documents need not be read again.
        registry.service("index_in_hand")(entry, using=entry._state.db)

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
    terms = formset.model._meta.ordering
    ordering = {term.lstrip("-").split("__")[0] for term in terms if isinstance(term, str)}
    in_hand = getattr(formset, "_queryset", None) is getattr(entry, "_prefetched_objects_cache", {}).get(
        fk.remote_field.cache_name
    )
    # An ordering by expression cannot be told apart: any change may move the row.
    moved = any(ordering & set(fields) or len(ordering) < len(terms) for _obj, fields in changed)
    if not in_hand or moved or formset.new_objects or formset.deleted_objects:
        forget(entry, accessor)
