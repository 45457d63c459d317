"""Version 1 of every entry published before public versions existed: dated when it was first published, its page
rendered after the migration (cases/keeping/apps.py: `fill_versions`), when every table it reads is there."""

from django.db import migrations

# The kinds of entry when public versions began (a later kind records its versions as it is published).
KINDS = (
    ("core", "source"),
    ("core", "place"),
    ("organisations", "organisation"),
    ("interventions", "intervention"),
    ("scholarship", "position"),
    ("scholarship", "concept"),
)


def first_versions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    PublicVersion = apps.get_model("core", "PublicVersion")
    db = schema_editor.connection.alias
    created = []
    for app_label, model_name in KINDS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        content_type, _ = ContentType.objects.using(db).get_or_create(app_label=app_label, model=model_name)
        for entry in model.objects.using(db).filter(status="published").order_by("pk"):
            created.append(
                PublicVersion(
                    content_type=content_type,
                    object_id=entry.pk,
                    number=1,
                    change="published",
                    at=entry.published_at or entry.updated_at,
                    title=str(getattr(entry, "title", "") or getattr(entry, "name", "") or getattr(entry, "term", "")
                              or entry.slug)[:500],
                    slug=entry.slug,
                )
            )
    PublicVersion.objects.using(db).bulk_create(created)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_public_versions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0002_not_stated_kind"),
        ("interventions", "0005_case_verbose_name"),
        ("scholarship", "0002_position_quotation_checked_stance_quotation_checked"),
    ]

    operations = [migrations.RunPython(first_versions, migrations.RunPython.noop)]
