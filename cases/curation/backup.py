"""What a backup holds, and the checks a restore makes.

A backup is a `dumpdata` file of the archive's content and its history: sources, places, organisations, cases,
positions, concepts, discussion questions, reading lists and their owners' accounts, the workflow log, the
revision history and the admin's log. Foreign keys to accounts, permissions and content types are written as
natural keys (usernames, codenames), so the file loads into any freshly migrated database. Primary keys are kept,
so the revision history and the workflow log still point at the right entries after a restore.

Not in it, and why: sessions (sign-ins expire anyway), the search index (rebuilt on restore), permissions and
content types (made by `migrate`), and groups (the roles are recreated by `setup_roles`; memberships are kept).
"""

from django.apps import apps

# What comes before and after the content apps (those of the registered kinds), in loading order.
BEFORE_CONTENT = ("auth.user",)
AFTER_CONTENT = ("teaching", "curation", "reversion", "admin.logentry")


def backup_labels():
    """App labels and models in loading order; those of apps not installed are skipped."""
    from cases.curation.roles import content_apps

    content = content_apps()
    ordered = [config.label for config in apps.get_app_configs() if config.label in content]
    labels = []
    for label in (*BEFORE_CONTENT, *ordered, *AFTER_CONTENT):
        app_label = label.split(".")[0]
        if apps.is_installed(f"cases.{app_label}") or any(c.label == app_label for c in apps.get_app_configs()):
            labels.append(label)
    return labels


def existing_content():
    """{model label: count} of what the database already holds (accounts and content)."""
    from django.contrib.auth import get_user_model

    from cases.core.models import Curated

    counts = {}
    for model in [get_user_model(), *[m for m in apps.get_models() if issubclass(m, Curated)]]:
        count = model._default_manager.count()
        if count:
            counts[model._meta.label] = count
    return counts
