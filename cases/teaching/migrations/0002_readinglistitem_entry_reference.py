# Reading list items refer to their entry by content type and id (step 1 of 3: the new columns, nullable while
# 0003 fills them; the old per-kind constraints go first so that, migrating back, they return after the data).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("teaching", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="readinglistitem", name="readinglistitem_exactly_one_entry"),
        migrations.RemoveConstraint(model_name="readinglistitem", name="readinglistitem_unique_intervention"),
        migrations.RemoveConstraint(model_name="readinglistitem", name="readinglistitem_unique_position_entry"),
        migrations.RemoveConstraint(model_name="readinglistitem", name="readinglistitem_unique_source"),
        migrations.RemoveConstraint(model_name="readinglistitem", name="readinglistitem_unique_organisation"),
        migrations.RemoveConstraint(model_name="readinglistitem", name="readinglistitem_unique_concept"),
        migrations.AddField(
            model_name="readinglistitem",
            name="content_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="readinglistitem",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
    ]
