"""Recording public versions: when a transaction that touched a published entry commits, its page is rendered as
the public sees it and kept as a new version if it differs from the last one (cases/core/public_versions.py).

What makes a version is what the public sees, so the rule needs no list of workflow paths: every save of an entry or
of a row that belongs to it (its parts in the registry: events, evidence, roles, stances...) and every change of its
many-to-many links notes the entry; on commit each noted entry is read again and
- published: its page is rendered by the site's own request handler, for an anonymous reader, and its main region
  compared with the last version's: a difference is a new version (the first one, or one after a withdrawal, is
  "published", later ones "changed"); the same page makes none;
- not published (withdrawn, sent back, deleted) while its last version was public: a withdrawal is recorded,
  without content.
A draft, an entry in review and a change waiting for approval are never saved as published rows, so they can make
no version: a curator's proposal is kept as a PendingRevision and only its approval saves the entry.

The note and the approving curator come from `public_change()` (cases/core/public_versions.py), which the admin sets
around its saves. Raw saves (fixtures, backups) are skipped: `record_missing()` gives every published entry without
a version its first one (load_archive, the data migration), rendered when that transaction commits.
"""

import io
import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from cases.citations.formats import page_title
from cases.core import registry
from cases.core.gate import is_public
from cases.core.logging import current_request_id
from cases.core.public_versions import PUBLIC_CHANGE, ChangeKind, PublicVersion

logger = logging.getLogger(__name__)

# The page's main region; the parts of it that belong to the live page only (the citation of today's page, the
# reading-list form) are between <!--live--> markers and left out; the page's own stylesheets are between
# <!--page-head--> markers in base.html.
MAIN = re.compile(r'<main id="main"[^>]*>(.*)</main>', re.S)
LIVE = re.compile(r"<!--live-->.*?<!--/live-->", re.S)
PAGE_HEAD = re.compile(r"<!--page-head-->(.*?)<!--/page-head-->", re.S)
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
# The content hash ManifestStaticFilesStorage puts in a file name: a version keeps the name, not one deploy's copy.
HASHED = re.compile(r"\.[0-9a-f]{12}(\.[a-z0-9]+)$")


# --- Which entries a row belongs to ------------------------------------------------------------------------------


def _owners():
    """{model: [(kind's model, attribute naming the entry)]} for the kinds and their parts (from the registry)."""
    if _CACHE.get("version") != registry.version():
        owners = {}
        for kind in registry.kinds():
            model = kind.model_class
            owners.setdefault(model, []).append((model, "pk"))
            for relation in kind.parts:
                field = model._meta.get_field(relation)
                owners.setdefault(field.related_model, []).append((model, field.field.attname))
        _CACHE.update(version=registry.version(), value=owners)
    return _CACHE["value"]


_CACHE = {}


class Pending:
    """The entries one transaction touched, with who changed them and the public note, recorded on commit."""

    def __init__(self, using):
        self.using = using
        self.entries = {}

    def note(self, model, pk):
        if pk is None:
            return
        actor = PUBLIC_CHANGE.get()
        if actor is not None or (model, pk) not in self.entries:
            self.entries[(model, pk)] = actor

    def __call__(self):
        connection = connections[self.using]
        if getattr(connection, "_public_versions_pending", None) is self:
            connection._public_versions_pending = None
        for (model, pk), actor in self.entries.items():
            try:
                record(model, pk, actor, using=self.using)
            except Exception:  # the curator's change is saved: a failed version must not turn it into an error
                logger.exception("could not record a public version of %s %s", model._meta.label, pk)


def _pending(using):
    connection = connections[using]
    pending = getattr(connection, "_public_versions_pending", None)
    if pending is not None and any(item[1] is pending for item in connection.run_on_commit):
        return pending
    pending = Pending(using)
    if connection.in_atomic_block:
        connection._public_versions_pending = pending
        transaction.on_commit(pending, using=using)
    return pending


def _noted(using, pairs):
    pending = _pending(using)
    for model, pk in pairs:
        pending.note(model, pk)
    if not connections[using].in_atomic_block:  # autocommit (a shell): the change is committed already
        pending()


def _row_changed(sender, instance, raw=False, using="default", **kwargs):
    if raw:
        return
    _noted(using, [(owner, getattr(instance, attname)) for owner, attname in _owners().get(sender, ())])


def _links_changed(sender, instance, action, reverse, model, pk_set, using="default", **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    owners = _owners()
    if not reverse and type(instance) in owners:
        _noted(using, [(type(instance), instance.pk)])
    elif reverse and model in owners and pk_set:
        _noted(using, [(model, pk) for pk in pk_set])


def connect():
    for model in _owners():
        uid = f"keeping-versions-{model._meta.label}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_links_changed, dispatch_uid="keeping-versions-links")


# --- Rendering the public page -----------------------------------------------------------------------------------

_HANDLER = []


def _handler():
    if not _HANDLER:
        handler = BaseHandler()
        handler.load_middleware()
        _HANDLER.append(handler)
    return _HANDLER[0]


def _host():
    if settings.SITE_URL:
        return urlsplit(settings.SITE_URL).hostname
    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h and h != "*"]
    return hosts[0] if hosts else "localhost"


def render_page(path):
    """The site's response to an anonymous reader's GET of `path`, through every middleware (as served)."""
    host = _host()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
    }
    # Logged under the id of the request whose save it records (a curator's), when there is one.
    if current_request_id.get():
        environ["HTTP_X_REQUEST_ID"] = current_request_id.get()
    with translation.override(settings.LANGUAGE_CODE):
        response = _handler().get_response(WSGIRequest(environ))
    # Not response.close(): it sends request_finished, which closes the database connection of the request (or
    # transaction) this runs in.
    return response


def snapshot(entry):
    """(content, stylesheets) of the entry's public page as an anonymous reader gets it now, or None."""
    response = render_page(entry.get_absolute_url())
    if response.status_code != 200:
        logger.warning("the page of %s answered %s: no version recorded", entry, response.status_code)
        return None
    page = response.content.decode(response.charset or "utf-8")
    main = MAIN.search(page)
    if main is None:
        return None
    head = PAGE_HEAD.search(page)
    sheets = []
    for href in STYLESHEET.findall(head.group(1) if head else ""):
        if href.startswith(settings.STATIC_URL):
            sheets.append(HASHED.sub(r"\1", href[len(settings.STATIC_URL) :]))
    return LIVE.sub("", main.group(1)).strip(), sheets


# --- Recording ---------------------------------------------------------------------------------------------------


def record(model, pk, actor=None, using=None):
    """Record what the public now sees of the entry `model`/`pk`: a new version, a withdrawal, or nothing."""
    using = using or router.db_for_write(PublicVersion)
    user, note = actor or (None, "")
    if user is not None and not user.is_authenticated:
        user = None
    entry = model._base_manager.using(using).filter(pk=pk).first()
    # The last two rows: the latest, and the version before a withdrawal (two withdrawals never follow each other).
    last = list(PublicVersion.objects.using(using).for_model(model).filter(object_id=pk).order_by("-pk")[:2])
    latest = last[0] if last else None
    top = next((version.number for version in last if version.number), 0)
    was_public = latest is not None and latest.change != ChangeKind.WITHDRAWN
    if not is_public(entry):
        if was_public:
            PublicVersion.objects.using(using).create(
                content_type_id=latest.content_type_id,
                object_id=pk,
                change=ChangeKind.WITHDRAWN,
                title=latest.title,
                slug=latest.slug,
                note=note[:300],
                approved_by=user,
            )
        return None
    page = snapshot(entry)
    if page is None:
        return None
    content, sheets = page
    if was_public and latest.content is None:
        # A first version still to be rendered (a load whose commit hook did not run): this is its page.
        latest.content, latest.stylesheets = content, sheets
        latest.save(update_fields=["content", "stylesheets"])
        return latest
    if was_public and (latest.content, latest.stylesheets) == (content, sheets):
        return None
    number = top + 1
    return PublicVersion.objects.using(using).create(
        content_type=ContentType.objects.db_manager(using).get_for_model(model),
        object_id=pk,
        number=number,
        change=ChangeKind.CHANGED if was_public else ChangeKind.PUBLISHED,
        at=timezone.now(),
        title=page_title(entry)[:500],
        slug=entry.slug,
        note=note[:300],
        approved_by=user,
        content=content,
        stylesheets=sheets,
    )


def record_missing(using="default"):
    """Give every published entry without a version its first one (its content rendered when the transaction
    commits, or at once outside one). Returns how many were created."""
    created = []
    for kind in registry.kinds():
        model = kind.model_class
        content_type = ContentType.objects.db_manager(using).get_for_model(model)
        versioned = PublicVersion.objects.using(using).for_model(model).values("object_id")
        for entry in model.objects.using(using).published().exclude(pk__in=versioned).order_by("pk"):
            created.append(
                PublicVersion(
                    content_type=content_type,
                    object_id=entry.pk,
                    number=1,
                    change=ChangeKind.PUBLISHED,
                    at=entry.published_at or entry.updated_at,
                    title=page_title(entry)[:500],
                    slug=entry.slug,
                )
            )
    PublicVersion.objects.using(using).bulk_create(created)
    if created:
        transaction.on_commit(lambda: fill_pending(using), using=using)
    return len(created)


def fill_pending(using="default"):
    """Render the versions created without content, where each is still the entry's latest and it is published."""
    filled = 0
    for version in PublicVersion.objects.using(using).numbered().filter(content__isnull=True).order_by("pk"):
        model = version.content_type.model_class()
        newer = PublicVersion.objects.using(using).filter(
            content_type_id=version.content_type_id, object_id=version.object_id, pk__gt=version.pk
        )
        entry = model._base_manager.using(using).filter(pk=version.object_id).first() if model else None
        if newer.exists() or not is_public(entry):
            continue
        page = snapshot(entry)
        if page is not None:
            version.content, version.stylesheets = page
            version.save(update_fields=["content", "stylesheets"])
            filled += 1
    return filled
