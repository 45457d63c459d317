"""Optimistic locking in the admin's change forms (see cases/curation/locking.py): the hidden token, its check on
save, and the differences shown when the entry changed since the form was opened."""

from cases.curation import locking


class LockAdminMixin:
    """Every change form (not add forms: there is nothing to overwrite) carries and checks a version token."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not change or obj is None:
            return form_class

        class LockedForm(form_class):
            version_token = locking.VersionTokenField()

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # What the entry holds before validation writes the posted values into it.
                self.archive_values = locking.entry_values(self)

            def clean(self):
                # The inline formsets are built before the form is validated (ModelAdmin._changeform_view).
                if not getattr(request, "archive_unlocked", False):
                    locking.check(self, getattr(request, "archive_formsets", ()))
                return super().clean()

        return LockedForm

    def get_fields(self, request, obj=None):
        # Rendered once, hidden, at the top of the form (curation/change_form.html), never in a fieldset.
        return [name for name in super().get_fields(request, obj) if name != locking.TOKEN_FIELD]

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        if change:
            request.archive_formsets = formsets
        return formsets, inline_instances

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if locking.TOKEN_FIELD in form.fields:
            locking.prime(form, [inline.formset for inline in context["inline_admin_formsets"]])
        return super().render_change_form(request, context, add, change, form_url, obj)
