"""Create the archive's roles (groups); `manage.py setup_roles` brings them up to date later."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from cases.curation.roles import setup_roles

    setup_roles(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        app_configs=apps.get_app_configs(),
        apps=apps,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("organisations", "0001_initial"),
        ("interventions", "0001_initial"),
        ("scholarship", "0001_initial"),
        ("curation", "0001_status_change"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
