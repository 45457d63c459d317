"""Review of changes to what the public sees: a curator's edit of a published entry waits for a senior curator.

The publish right (`curation.publish_entry`) puts text in front of the public, so a change that the public would see
at once needs it too. When an account without it saves something public-facing — a published entry, a row inside
one (an event, a role, a stance...), or a vocabulary row a published entry shows (an issue, a tactic, an author) —
the admin validates the form as usual but does not save it: the POST is kept as a PendingRevision, and the public
page stays as it is until a senior curator approves.

Approving replays the POST through the same admin view as the approver, so validation, inlines, the revision
history, the search index and the workflow log work as for any save; the locking token the change was based on
refuses it if the entry changed since (cases/curation/locking.py). The differences shown for approval and the
preview are made the same way inside a transaction that is rolled back: nothing is written, and what runs on
commit (the search index) never runs.
"""

import copy
import inspect
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.base import BaseStorage
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from reversion import create_revision, get_comment, set_comment, set_user

from cases.core import registry
from cases.core.gate import is_curated, is_published_state, published_q
from cases.core.public_versions import public_change
from cases.curation import locking, workflow
from cases.curation.models import PendingRevision, PendingRevisionState

# --- What the public sees --------------------------------------------------------------------------------------


def holder_paths(model):
    """The foreign keys of `model` pointing at the entries its rows belong to (a role's case, a stance's case and
    position), from the registry: the kinds' parts and the other parts' declarations."""
    model = model._meta.concrete_model
    paths = []
    for part in registry.parts():
        if apps.get_model(part.model) is model:
            paths += [path for path in part.through if "__" not in path]
    for kind in registry.kinds():
        owner = kind.model_class
        for relation in kind.parts:
            related = owner._meta.get_field(relation)
            if related.related_model is model:
                paths.append(related.field.name)
    return tuple(dict.fromkeys(paths))


def _stored_status(obj):
    status = obj.__dict__.get("_loaded_status")
    if status is None:
        status = type(obj)._base_manager.filter(pk=obj.pk).values_list("status", flat=True).first()
    return status


def _showing_relations(model):
    """The relations through which curated entries show a row of `model` (a case's issues, a source's authors)."""
    return [
        rel
        for rel in model._meta.related_objects
        if is_curated(rel.related_model) and (rel.many_to_many or rel.one_to_many)
    ]


def published_showing(obj):
    """The first published entry that shows the vocabulary row `obj`, or None."""
    for rel in _showing_relations(type(obj)):
        entry = rel.related_model._base_manager.filter(published_q(), **{rel.field.name: obj.pk}).first()
        if entry is not None:
            return entry
    return None


def published_holder(obj, stored=None):
    """The first published entry the row `obj` belongs to, as saved (`stored`: {field: id} read before the form
    changed it) or as it now stands in memory; None if none is."""
    model = type(obj)
    for path in holder_paths(model):
        relation = model._meta.get_field(path)
        ids = {getattr(obj, relation.attname)}
        if stored and stored.get(path) is not None:
            ids.add(stored[path])
        ids.discard(None)
        if ids:
            holder = relation.related_model._base_manager.filter(published_q(), pk__in=ids).first()
            if holder is not None:
                return holder
    return None


def touches_public(obj, stored=None):
    """Whether a change to `obj` would show on the public site at once.

    A curated entry: it is published (as saved; nobody without the publish right can publish it). A row inside
    entries: one of them is published. Anything else (an issue, a tactic, an author): a published entry shows it.
    """
    if obj is None or obj.pk is None:
        return False
    if is_curated(type(obj)):
        return is_published_state(_stored_status(obj))
    if holder_paths(type(obj)):
        return published_holder(obj, stored) is not None
    return published_showing(obj) is not None


def public_page(obj):
    """The public page that shows `obj` (for the preview of a change to it), or None."""
    model = type(obj)
    if registry.kind_for(model) is not None:
        return obj.get_absolute_url()
    holder = published_holder(obj) if holder_paths(model) else published_showing(obj)
    if holder is not None and registry.kind_for(holder) is not None:
        return holder.get_absolute_url()
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None


# --- Proposals -------------------------------------------------------------------------------------------------


def _posted_for(data, form, formsets):
    """The POST values the form and its formsets read: nothing else is kept, so replaying a proposal as a senior
    curator cannot bring in values for fields the proposer's form did not have."""
    names = [form.add_prefix(name) for name in form.fields if name != locking.TOKEN_FIELD]
    prefixes = [f"{formset.prefix}-" for formset in formsets]
    kept = {}
    for key in data:
        if key in names or any(key.startswith(f"{name}_") for name in names) or key.startswith(tuple(prefixes)):
            kept[key] = data.getlist(key)
    return kept


def _summary(form, formsets):
    parts = [str(form.fields[name].label or name) for name in form.changed_data if name in form.fields]
    for formset in formsets:
        touched = [f for f in formset.forms if f.has_changed() or f in getattr(formset, "deleted_forms", [])]
        if touched:
            parts.append(f"{formset.model._meta.verbose_name_plural} ({len(touched)})")
    return "; ".join(parts)


def propose(request, obj, form, formsets, via="change", version_id=None):
    """Keep a curator's validated change as a pending revision; it supersedes their earlier one of the same entry."""
    model = type(obj)
    content_type = ContentType.objects.get_for_model(model)
    live = model._base_manager.filter(pk=obj.pk).first()
    now = timezone.now()
    with transaction.atomic(using=router.db_for_write(PendingRevision)):
        PendingRevision.objects.pending().filter(
            content_type=content_type, object_id=str(obj.pk), proposed_by=request.user
        ).update(state=PendingRevisionState.SUPERSEDED, decided_at=now, note="Replaced by a later change.")
        return PendingRevision.objects.create(
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(live if live is not None else obj)[:200],
            via=via,
            version_id=version_id,
            data=_posted_for(request.POST, form, formsets),
            base_token=getattr(form, "archive_live_token", ""),
            summary=_summary(form, formsets),
            proposed_by=request.user,
            proposed_at=now,
        )


# --- Replaying a proposal ------------------------------------------------------------------------------------


class _KeptMessages(BaseStorage):
    """Messages of a replayed view: kept in memory, never shown to anyone."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def replay_request(request, path, data=None, query=""):
    """A copy of `request` for running an admin view internally: GET, or POST with `data` ({key: [values]})."""
    fake = copy.copy(request)
    for name in [n for n in fake.__dict__ if n.startswith("archive_")]:
        del fake.__dict__[name]
    fake.path = fake.path_info = path
    fake.META = {**request.META, "PATH_INFO": path, "QUERY_STRING": query}
    fake.GET = QueryDict(query)
    post = QueryDict(mutable=True)
    for key, values in (data or {}).items():
        post.setlist(key, values)
    fake.method = fake.META["REQUEST_METHOD"] = "GET" if data is None else "POST"
    fake.POST = post
    fake._files = MultiValueDict()
    fake._messages = _KeptMessages(fake)
    fake._dont_enforce_csrf_checks = True  # the request replaying it passed the CSRF check
    fake.archive_replaying = True
    return fake


def model_admin_for(pending):
    from django.contrib import admin

    model = pending.content_type.model_class()
    return admin.site._registry.get(model) if model is not None else None


def _admin_url(model_admin, view, *args):
    opts = model_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _apply(model_admin, request, pending, *, unlocked=False, comment=""):
    """Run the proposal's POST through its admin view; returns the replayed request (`archive_saved` if it saved)
    and the response."""
    data = dict(pending.data)
    if pending.base_token:
        data[locking.TOKEN_FIELD] = [pending.base_token]
    object_id = quote(pending.object_id)
    if pending.via == "revert":
        path = _admin_url(model_admin, "revision", object_id, pending.version_id)
        fake = replay_request(request, path, data)
        fake.archive_unlocked = unlocked
        response = model_admin.revision_view(fake, object_id, str(pending.version_id))
    elif pending.via == "recover":
        path = _admin_url(model_admin, "recover", pending.version_id)
        fake = replay_request(request, path, data)
        fake.archive_unlocked = unlocked
        response = model_admin.recover_view(fake, str(pending.version_id))
    else:
        path = _admin_url(model_admin, "change", object_id)
        fake = replay_request(request, path, data)
        fake.archive_unlocked = unlocked
        # A posted form's revision is written inside the view (admin_save): it takes the approval note from here.
        fake.archive_comment = comment
        response = model_admin.change_view(fake, object_id)
    return fake, response


def _change_form(model_admin, request, object_id):
    """(form, formsets) of the change form for the entry as it now stands, or None if it does not exist."""
    if not model_admin.model._base_manager.filter(pk=object_id).exists():
        return None
    fake = replay_request(request, _admin_url(model_admin, "change", quote(object_id)))
    response = model_admin.change_view(fake, quote(object_id))
    context = getattr(response, "context_data", None)
    if not context or "adminform" not in context:
        return None
    return context["adminform"].form, [inline.formset for inline in context["inline_admin_formsets"]]


def _errors(response):
    context = getattr(response, "context_data", None) or {}
    messages = []
    if "adminform" in context:
        form = context["adminform"].form
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            messages += [f"{label}: {e}" if label else str(e) for e in errors]
        for inline in context.get("inline_admin_formsets", ()):
            for form_errors in inline.formset.errors:
                for errors in form_errors.values():
                    messages += [str(e) for e in errors]
            messages += [str(e) for e in inline.formset.non_form_errors()]
    return messages


@dataclass
class Review:
    """What approving a proposal would do now: its changes, or why it cannot be applied."""

    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    conflict: list = field(default_factory=list)  # what changed in the entry since the proposal was made


def _empty_like(state):
    return {"f": dict.fromkeys(state["f"]), "i": {prefix: {} for prefix in state["i"]}}


def review(model_admin, request, pending):
    """The differences the proposal would make to the entry as it is now (nothing is saved)."""
    db = router.db_for_write(model_admin.model)
    result = Review()
    with transaction.atomic(using=db):
        try:
            before = _change_form(model_admin, request, pending.object_id)
            fake, response = _apply(model_admin, request, pending)
            if not getattr(fake, "archive_saved", False):
                result.errors = _errors(response) or [
                    gettext("The change cannot be applied to the entry as it is now.")
                ]
                form = (getattr(response, "context_data", None) or {}).get("adminform")
                result.conflict = getattr(form.form, "archive_conflict", []) if form is not None else []
                return result
            after = _change_form(model_admin, request, pending.object_id)
            if after is None:
                return result
            new = locking.snapshot(*after)
            old = locking.snapshot(*before) if before is not None else _empty_like(new)
            sources = [after] if before is None else [before, after]
            result.changes = locking.differences(old, new, locking.Labels(*sources))
        finally:
            transaction.set_rollback(True, using=db)
    return result


def approve(model_admin, request, pending, public_note=""):
    """Apply the proposal as the approving senior curator; returns the Review (errors if it was not applied).

    `public_note`: the note of the public version it makes (the change log); without one, the note the curator
    proposed with the change, if any."""
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    db = router.db_for_write(model_admin.model)
    with transaction.atomic(using=db):
        # Two senior curators approving at once: the second waits, then finds it decided.
        if not PendingRevision.objects.select_for_update().filter(pk=pending.pk).pending().exists():
            return Review(errors=[gettext("This change was already decided.")])
        proposer = pending.proposed_by.get_username() if pending.proposed_by_id else "a curator"
        when = timezone.localtime(pending.proposed_at).strftime("%Y-%m-%d %H:%M %Z")
        note = f"Approved change proposed by {proposer} ({when})."
        proposed_note = (pending.data.get("public_note") or [""])[-1]
        with create_revision(using=db), public_change(request.user, public_note.strip() or proposed_note.strip()):
            set_user(request.user)
            fake, response = _apply(model_admin, request, pending, comment=note)
            saved = getattr(fake, "archive_saved", False)
            if saved:
                set_comment(f"{note} {get_comment()}".strip())
        if not saved:
            form = (getattr(response, "context_data", None) or {}).get("adminform")
            return Review(
                errors=_errors(response) or [gettext("The change cannot be applied to the entry as it is now.")],
                conflict=getattr(form.form, "archive_conflict", []) if form is not None else [],
            )
        _decide(pending, request.user, PendingRevisionState.APPROVED)
    return Review()


def reject(request, pending, note=""):
    _decide(pending, request.user, PendingRevisionState.REJECTED, note)


def _decide(pending, user, state, note=""):
    pending.state = state
    pending.decided_by = user
    pending.decided_at = timezone.now()
    pending.note = note[:300]
    pending.save(update_fields=["state", "decided_by", "decided_at", "note"])


def preview(model_admin, request, pending, make_info):
    """The public page showing the entry with the proposal applied, rendered and then rolled back.

    Returns (response, errors); `make_info(obj)` gives the banner for the page."""
    db = router.db_for_write(model_admin.model)
    with transaction.atomic(using=db):
        try:
            # Shown even when the entry changed since: the review page says whether it can still be approved.
            fake, response = _apply(model_admin, request, pending, unlocked=True)
            if not getattr(fake, "archive_saved", False):
                return None, _errors(response) or [gettext("The change cannot be applied to the entry as it is now.")]
            obj = model_admin.model._base_manager.filter(pk=pending.object_id).first()
            url = public_page(obj) if obj is not None else None
            if not url:
                return None, [gettext("No public page shows this entry.")]
            parts = urlsplit(url)
            try:
                match = resolve(parts.path)
            except Resolver404:
                return None, [gettext("No public page shows this entry.")]
            page_request = replay_request(request, parts.path, query=parts.query)
            page_request.archive_preview = make_info(obj)
            # The public view without its caching decorators: nothing of this page may reach a public cache.
            page = inspect.unwrap(match.func)(page_request, *match.args, **match.kwargs)
            if hasattr(page, "render") and not getattr(page, "is_rendered", True):
                page.render()
            return page, []
        finally:
            transaction.set_rollback(True, using=db)
