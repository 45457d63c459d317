"""The roles of the archive, as groups with the least permissions each needs.

| group              | may                                                                                  |
|--------------------|--------------------------------------------------------------------------------------|
| Curators           | add, change and view all content; delete the rows inside an entry (events, evidence, |
|                    | roles, stances...); send entries to review or back to draft; preview; see the history |
|                    | and recover deleted entries. Not publish, not withdraw, not delete whole entries.     |
| Senior curators    | everything curators may, plus publish and withdraw (`curation.publish_entry`) and     |
|                    | delete whole entries (recoverable from the history).                                 |
| Instructors        | every permission on their reading lists (the `teaching` app's other models, such as  |
|                    | the curated discussion questions, are content) and nothing else. They are not staff. |
| Administrators     | manage accounts and give roles (auth users and groups) within their own permissions, |
|                    | and hold the instructors' permissions so they can make instructors. Not content, not |
|                    | publishing: an administrator who also curates is given a curator role as well.       |

Curators and administrators need `is_staff` to sign in to the admin; instructors must not have it.
The groups are created by a data migration and brought up to date by `manage.py setup_roles` (idempotent: run it
after adding models, so new content models are covered). Permissions are computed by app label, so a new model in
a content app is picked up without editing this file.
"""

from django.contrib.auth.management import create_permissions


def content_apps():
    """The apps whose every model is content: those of the registered kinds, their parts and the vocabularies."""
    from django.apps import apps

    from cases.core import registry
    from cases.curation.versions import VOCABULARIES

    labels = set()
    for kind in registry.kinds():
        owner = kind.model_class
        labels.add(owner._meta.app_label)
        labels |= {owner._meta.get_field(relation).related_model._meta.app_label for relation in kind.parts}
    labels |= {apps.get_model(label)._meta.app_label for label in VOCABULARIES}
    return labels


def content_elsewhere():
    """(app, model) of curated parts kept in an app that is not content as a whole (discussion questions)."""
    from cases.core import registry

    found = set()
    for part in registry.parts():
        app, model = part.model.lower().split(".")
        if app not in content_apps():
            found.add((app, model))
    return found


def entry_models():
    """Model names of the entries whose deletion is reserved to senior curators: every kind of entry, every curated
    part (a discussion question) and the vocabularies. Rows inside an entry (events, roles...) curators may delete."""
    from django.apps import apps

    from cases.core import registry
    from cases.core.gate import is_curated
    from cases.curation.versions import VOCABULARIES

    names = {kind.model.rsplit(".", 1)[1].lower() for kind in registry.kinds()}
    names |= {label.rsplit(".", 1)[1] for label in VOCABULARIES}
    for part in registry.parts():
        model = apps.get_model(part.model)
        if is_curated(model):
            names.add(model._meta.model_name)
    return names


TEACHING_APP = "teaching"
# Opening other instructors' lists for support work: given to no role, only to a named account, and logged.
SUPPORT_PERMISSIONS = ("support_readinglist",)
SUPPORT_MODELS = ("supportaccess",)  # its log, read by superusers

CURATORS = "Curators"
SENIOR_CURATORS = "Senior curators"
INSTRUCTORS = "Instructors"
ADMINISTRATORS = "Administrators"


def _content(Permission, actions, *, only_rows=False):
    codenames = []
    entries = entry_models()
    content, elsewhere = content_apps(), content_elsewhere()
    apps = {*content, *(app for app, _ in elsewhere)}
    for perm in Permission.objects.filter(content_type__app_label__in=apps).select_related("content_type"):
        action, _, model = perm.codename.partition("_")
        app = perm.content_type.app_label
        if app not in content and (app, model) not in elsewhere:
            continue
        if action in actions and perm.content_type.model == model:
            if only_rows and model in entries:
                continue
            codenames.append(perm.pk)
    return codenames


def role_permissions(Permission):
    """{group name: [permission ids]}; `Permission` is the model (historical in a migration)."""
    curator = [
        *_content(Permission, {"add", "change", "view"}),
        *_content(Permission, {"delete"}, only_rows=True),
        *Permission.objects.filter(content_type__app_label="curation", codename="view_statuschange").values_list(
            "pk", flat=True
        ),
        *Permission.objects.filter(content_type__app_label="reversion", codename__startswith="view_").values_list(
            "pk", flat=True
        ),
    ]
    senior = [
        *curator,
        *_content(Permission, {"delete"}),
        *Permission.objects.filter(content_type__app_label="curation", codename="publish_entry").values_list(
            "pk", flat=True
        ),
    ]
    instructor = list(
        Permission.objects.filter(content_type__app_label=TEACHING_APP)
        .exclude(content_type__model__in=[model for app, model in content_elsewhere() if app == TEACHING_APP])
        .exclude(codename__in=SUPPORT_PERMISSIONS)
        .exclude(content_type__model__in=SUPPORT_MODELS)
        .values_list("pk", flat=True)
    )
    return {
        CURATORS: curator,
        SENIOR_CURATORS: senior,
        INSTRUCTORS: instructor,
        # An account manager may only give the roles whose permissions it holds (cases/curation/privilege.py), so
        # administrators hold the instructors' own-lists permissions in order to make instructors.
        ADMINISTRATORS: [
            *Permission.objects.filter(
                content_type__app_label="auth", content_type__model__in=("user", "group")
            ).values_list("pk", flat=True),
            *instructor,
        ],
    }


def setup_roles(Group, Permission, app_configs=(), apps=None):
    """Create or update the groups so each holds exactly its role's permissions. Returns {name: count}."""
    for app_config in app_configs:
        # Permissions are normally created after migrate; make sure they exist before they are handed out.
        if apps is None:
            create_permissions(app_config, verbosity=0)
            continue
        # In a migration the app configs are stubs without models_module, which create_permissions checks.
        stub_module = app_config.models_module if hasattr(app_config, "models_module") else None
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = stub_module
    counts = {}
    for name, permission_ids in role_permissions(Permission).items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(sorted(set(permission_ids)))
        counts[name] = len(set(permission_ids))
    return counts
