"""Optimistic locking of the admin's change forms: a save built on an older state of an entry is refused.

Every archive change form carries a hidden `version_token`: a signed snapshot of what the form was built from, the
entry's fields and the fields of each inline row (events, evidence, roles...), as they were read. When the form is
posted, the admin reads the entry and its inline rows anyway; the same snapshot of them is compared with the posted
one, without a query. If they differ, someone saved in between: the form comes back with the curator's values, a
message saying who changed what and when, the differences, and a fresh token, so that saving again is a choice.

A snapshot rather than a version number: what changed is told against what the form showed (not every change makes
a django-reversion version: bulk `update()`s, the shell do not), and the check costs no query. Only the fields the
form shows are compared: a change elsewhere (a timestamp, a row added by someone else) overwrites nothing.
A form posted without a token (a script) is not checked.
"""

import datetime
import time
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from reversion.models import Version

from cases.curation.versions import line_diff

TOKEN_FIELD = "version_token"
_SALT = "cases.curation.locking"


class VersionTokenField(forms.CharField):
    """The hidden token; never a change of the entry itself."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


def _norm(value):
    """A value as JSON can hold it, equal for equal values however they were read."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return sorted(str(getattr(item, "pk", item)) for item in value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def entry_values(form):
    """{field name: value} of the entry a change form edits, as read (call before the form is validated)."""
    instance = form.instance
    values = {}
    for name in form.fields:
        if name == TOKEN_FIELD:
            continue
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        # The stored value, not the form's initial one: a revert shows the live status as the initial status.
        if field is not None and getattr(field, "concrete", False) and not field.many_to_many:
            values[name] = _norm(field.value_from_object(instance))
        else:
            values[name] = _norm(form.initial.get(name))
    return values


def row_values(formset):
    """{row id: {field: value}} of the saved rows an inline formset shows (or was posted with)."""
    rows = {}
    for index, form in enumerate(formset.initial_forms):
        # A row posted back but deleted since has no instance any more.
        key = str(form.instance.pk) if form.instance.pk is not None else f"gone-{index}"
        rows[key] = {name: _norm(value) for name, value in form.initial.items()}
    return rows


def snapshot(form, formsets, labels=False):
    """What a change form shows: {"f": entry fields, "i": {inline prefix: rows}}; with `labels`, also the rows'
    names ("l"), to name a row someone deletes before the form is saved (the form's page prints them anyway)."""
    values = getattr(form, "archive_values", None)
    if values is None:
        values = entry_values(form)
    state = {"f": values, "i": {formset.prefix: row_values(formset) for formset in formsets}}
    if labels:
        state["l"] = {
            formset.prefix: {str(row.instance.pk): str(row.instance) for row in formset.initial_forms}
            for formset in formsets
        }
    return state


def encode(state):
    return signing.dumps({**state, "t": int(time.time())}, salt=_SALT, compress=True)


def decode(token):
    """The snapshot in a token; raises signing.BadSignature for one not made here."""
    return signing.loads(token, salt=_SALT)


def same(base, live):
    """Whether nothing the two snapshots both show differs (fields and inlines one of them lacks are not compared:
    the proposer's form may lack an inline the approver's has)."""
    for name in base["f"].keys() & live["f"].keys():
        if base["f"][name] != live["f"][name]:
            return False
    for prefix in base["i"].keys() & live["i"].keys():
        old, new = base["i"][prefix], live["i"][prefix]
        if set(old) - set(new):
            return False
        for key in old.keys() & new.keys():
            if any(old[key][name] != new[key][name] for name in old[key].keys() & new[key].keys()):
                return False
    return True


# --- Telling the differences ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    diff: str  # HTML, escaped


class Labels:
    """Names for what snapshots hold, from the forms that showed them: field labels, row labels, value texts."""

    def __init__(self, *sources):
        form = sources[0][0]
        self.model = form._meta.model
        self.fields = {name: str(field.label or name) for name, field in form.fields.items()}
        self.inlines = {}
        self.rows = {}
        for _form, formsets in sources:
            for formset in formsets:
                self.inlines.setdefault(formset.prefix, formset)
                labels = self.rows.setdefault(formset.prefix, {})
                for row in formset.initial_forms:
                    if row.instance.pk is not None:
                        labels.setdefault(str(row.instance.pk), str(row.instance))

    def text(self, model, name, value):
        if value is None or value == "" or value == []:
            return ""
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return ", ".join(value) if isinstance(value, list) else str(value)
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if field.is_relation and field.related_model is not None:
            ids = value if isinstance(value, list) else [value]
            found = {str(obj.pk): str(obj) for obj in field.related_model._base_manager.filter(pk__in=ids)}
            gone = gettext("(deleted #%(id)s)")
            return "; ".join(found.get(str(i), gone % {"id": i}) for i in ids)
        if field.choices:
            return str(dict((str(k), v) for k, v in field.flatchoices).get(str(value), value))
        return str(value)

    def row_field(self, prefix, name):
        formset = self.inlines.get(prefix)
        field = formset.form.base_fields.get(name) if formset is not None else None
        return str(field.label) if field is not None and field.label else name.replace("_", " ")

    def inline_name(self, prefix):
        formset = self.inlines.get(prefix)
        return str(formset.model._meta.verbose_name).capitalize() if formset is not None else prefix

    def row_label(self, prefix, key, state=None):
        label = self.rows.get(prefix, {}).get(key) or (state or {}).get("l", {}).get(prefix, {}).get(key)
        return label or (gettext("a row deleted since") if key.startswith("gone-") else f"#{key}")

    def row_text(self, prefix, values):
        formset = self.inlines.get(prefix)
        model = formset.model if formset is not None else None
        holder = getattr(getattr(formset, "fk", None), "name", None)
        lines = []
        for name, value in values.items():
            if name == holder:  # the entry the row belongs to: the one being changed
                continue
            text = self.text(model, name, value) if model is not None else str(value)
            if text:
                lines.append(f"{self.row_field(prefix, name)}: {text}")
        return "\n".join(lines)


def _change(label, before, after):
    if not before or not after:  # a whole row added or removed: its lines as they are
        tag, text = ("ins", after) if after else ("del", before)
        diff = mark_safe("<br>".join(format_html("<{}>{}</{}>", tag, line, tag) for line in text.splitlines()))  # noqa: S308
        return Change(label, before, after, diff)
    return Change(label, before, after, line_diff(before, after))


def differences(old, new, labels):
    """[Change] from snapshot `old` to snapshot `new`: the entry's fields, then each inline's rows."""
    changes = []
    for name in [n for n in new["f"] if n in old["f"]]:
        if old["f"][name] != new["f"][name]:
            before = labels.text(labels.model, name, old["f"][name])
            after = labels.text(labels.model, name, new["f"][name])
            changes.append(_change(labels.fields.get(name, name), before, after))
    for prefix in [p for p in new["i"] if p in old["i"]]:
        rows_old, rows_new = old["i"][prefix], new["i"][prefix]
        model = labels.inlines[prefix].model if prefix in labels.inlines else None
        kind = labels.inline_name(prefix)
        for key in dict.fromkeys([*rows_old, *rows_new]):
            row = labels.row_label(prefix, key, old)
            if key in rows_old and key in rows_new:
                for name in [n for n in rows_new[key] if n in rows_old[key]]:
                    before, after = rows_old[key][name], rows_new[key][name]
                    if before != after:
                        changes.append(
                            _change(
                                f"{kind} {row} — {labels.row_field(prefix, name)}",
                                labels.text(model, name, before),
                                labels.text(model, name, after),
                            )
                        )
            elif key in rows_old:
                label = gettext("%(kind)s removed: %(row)s") % {"kind": kind, "row": row}
                changes.append(_change(label, labels.row_text(prefix, rows_old[key]), ""))
            elif not key.startswith("gone-"):  # the removed row again, as the form posted it
                label = gettext("%(kind)s added: %(row)s") % {"kind": kind, "row": row}
                changes.append(_change(label, "", labels.row_text(prefix, rows_new[key])))
    return changes


# --- The check ------------------------------------------------------------------------------------------------


def _put_token(form, token):
    data = form.data.copy()
    data[form.add_prefix(TOKEN_FIELD)] = token
    form.data = data


def prime(form, formsets):
    """Give a change form about to be shown the token of what it shows."""
    if not form.is_bound:
        form.initial[TOKEN_FIELD] = encode(snapshot(form, formsets, labels=True))
    elif not form.data.get(form.add_prefix(TOKEN_FIELD)):
        _put_token(form, getattr(form, "archive_live_token", "") or encode(snapshot(form, formsets)))


def last_saved(form, formsets, base):
    """(who, when) of the latest version of the entry or of a row the form showed, if made after `base` was taken."""
    instance = form.instance
    condition = Q(content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk))
    for formset in formsets:
        ids = [key for key in base["i"].get(formset.prefix, {}) if not key.startswith("gone-")]
        if ids:
            condition |= Q(content_type=ContentType.objects.get_for_model(formset.model), object_id__in=ids)
    version = Version.objects.filter(condition).select_related("revision__user").order_by("-pk").first()
    if version is None or version.revision.date_created.timestamp() < base.get("t", 0) - 1:
        when = getattr(instance, "updated_at", None)
        return None, when if when and when.timestamp() >= base.get("t", 0) - 1 else None
    return version.revision.user, version.revision.date_created


def _clock(when):
    local = timezone.localtime(when)
    today = timezone.localtime(timezone.now()).date()
    return local.strftime("%H:%M %Z") if local.date() == today else local.strftime("%Y-%m-%d %H:%M %Z")


def conflict_message(who, when, changes):
    what = "; ".join(change.label for change in changes) or gettext("rows deleted since")
    if when is None:
        message = gettext(
            "This entry was changed since you opened it; your changes are not saved. What changed: %(what)s. Your "
            "values are still in the form: compare them with the differences listed, then save again to keep them."
        )
    elif who is None:
        message = gettext(
            "Someone else saved this entry at %(clock)s since you opened it; your changes are not saved. What "
            "changed: %(what)s. Your values are still in the form: compare them with the differences listed, then "
            "save again to keep them."
        )
    else:
        message = gettext(
            "Someone else (%(name)s) saved this entry at %(clock)s since you opened it; your changes are not saved. "
            "What changed: %(what)s. Your values are still in the form: compare them with the differences listed, "
            "then save again to keep them."
        )
    name = who.get_username() if who is not None else ""
    return message % {"what": what, "clock": _clock(when) if when is not None else "", "name": name}


def check(form, formsets):
    """Refuse (as a form error) a change form built from an older state of its entry than the one saved now."""
    live = snapshot(form, formsets)
    form.archive_live_token = encode(live)
    posted = form.data.get(form.add_prefix(TOKEN_FIELD))
    if not posted:
        return
    try:
        base = decode(posted)
    except signing.BadSignature:
        _put_token(form, form.archive_live_token)
        form.add_error(
            None,
            ValidationError(
                gettext(
                    "This form cannot be matched with the saved entry: open the entry again and redo your change."
                ),
                code="stale",
            ),
        )
        return
    if same(base, live):
        return
    changes = differences(base, live, Labels((form, formsets)))
    who, when = last_saved(form, formsets, base)
    form.archive_conflict = changes
    _put_token(form, form.archive_live_token)
    form.add_error(None, ValidationError(conflict_message(who, when, changes), code="stale"))
