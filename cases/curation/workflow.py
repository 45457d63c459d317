"""The publication workflow, in one place: which moves are allowed, who may make them, and the move itself.

    Draft ──→ In review ──→ Published ──→ Withdrawn
      ↑  ↖________/  ↘__________↗            │
      └──────────────────────────────────────┘ (withdrawn → draft / in review / published)

- Anyone who may change an entry may move it between *Draft* and *In review*, and bring a withdrawn entry back
  to *Draft* or *In review*.
- Moving an entry to *Published* or *Withdrawn* needs the `curation.publish_entry` permission (the "Senior
  curators" role): publishing is what puts text in front of the public. A senior curator may publish a draft
  directly, and may withdraw a draft that will not be published.
- A published entry is corrected in place (the revision history keeps every version); it leaves the public site
  only by being withdrawn, never by being sent back to draft, so the log always shows when it went off-line.

An entry is published only when complete: a kind may say what it needs first (a case: a lead organisation, an
issue and a tactic), and `transition` and the change form refuse it with a message naming what is missing.

The admin's actions and change form call `check_transition` / `transition`; a signal writes the log of every
save that changes a status (see signals.py), so even a change made in the shell is recorded.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, ngettext, pgettext

from cases.core.models import Status

PUBLISH_PERMISSION = "curation.publish_entry"

# Where an entry may go from each state; "" is a new entry.
TRANSITIONS = {
    "": {Status.DRAFT, Status.REVIEW, Status.PUBLISHED},
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED, Status.WITHDRAWN},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED, Status.WITHDRAWN},
    Status.PUBLISHED: {Status.WITHDRAWN},
    Status.WITHDRAWN: {Status.DRAFT, Status.REVIEW, Status.PUBLISHED},
}

# Moves to these states need the publish permission.
GUARDED = {Status.PUBLISHED, Status.WITHDRAWN}


def label(status):
    # A plain string, not a lazy one: labels are joined into sentences.
    return str(Status(status).label) if status else gettext("New")


def can_publish(user):
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def allowed_targets(current, user):
    """The states an entry in `current` may move to, for `user` (None: any user, e.g. a management command)."""
    targets = TRANSITIONS.get(current or "", set())
    if user is not None and not can_publish(user):
        targets = targets - GUARDED
    return [s for s in Status.values if s in targets]


def check_transition(current, target, user=None):
    """Raise a ValidationError saying what to do when `user` may not move an entry from `current` to `target`."""
    current = current or ""
    if current == target:
        return
    if target not in TRANSITIONS.get(current, set()):
        if current == Status.PUBLISHED:
            hint = gettext("A published entry can only be withdrawn; correct its text in place instead.")
        else:
            choices = pgettext("list separator", ", ").join(label(s) for s in allowed_targets(current, None))
            hint = gettext("Choose one of: %(choices)s.") % {"choices": choices}
        raise ValidationError(
            gettext("An entry cannot go from “%(current)s” to “%(target)s”. %(hint)s")
            % {"current": label(current), "target": label(target), "hint": hint},
            code="invalid_transition",
        )
    if target in GUARDED and user is not None and not can_publish(user):
        raise ValidationError(
            gettext("Only senior curators may move an entry to “%(target)s”: send it to review instead.")
            % {"target": label(target)},
            code="needs_publish_permission",
        )


def publication_message(gaps):
    """Why an entry cannot be published, naming what it lacks ("a lead organisation, an issue and a tactic")."""
    # The kinds name their gaps in English (gettext_noop): they are translated here, as the sentence is.
    gaps = [gettext(gap) for gap in gaps]
    if len(gaps) == 1:
        missing = gaps[0]
    else:
        missing = gettext("%(items)s and %(last)s") % {
            "items": pgettext("list separator", ", ").join(gaps[:-1]),
            "last": gaps[-1],
        }
    return ngettext(
        "Needs %(missing)s before it can be published: add it first.",
        "Needs %(missing)s before it can be published: add them first.",
        len(gaps),
    ) % {"missing": missing}


def check_complete(entry, **proposed):
    """Raise a ValidationError naming what `entry` lacks before it may be published. A kind says what it needs
    with a `publication_gaps(**proposed)` method (Intervention.publication_gaps); `proposed` stands for rows a
    change form is about to save."""
    gaps = entry.publication_gaps(**proposed) if hasattr(entry, "publication_gaps") else []
    if gaps:
        raise ValidationError(publication_message(gaps), code="incomplete")


def transition(entry, target, user=None, note=""):
    """Move `entry` to `target`, checked, saved and logged (with `user` and `note`). Returns True if it moved."""
    if entry.status == target:
        return False
    try:
        check_transition(entry.status, target, user)
    except ValidationError as error:
        if error.code == "needs_publish_permission":
            raise PermissionDenied(error.messages[0]) from error
        raise
    if target == Status.PUBLISHED:
        check_complete(entry)
    entry.status = target
    entry.workflow_actor = (user, note)
    entry.save(update_fields=["status", "published_at", "updated_at"])
    return True
