"""French descriptions for the starting topics (0002 created them in English only).

Only a description an editor has not touched is filled: a French one already written
stays, and so does an English one rewritten since (its French would not match it)."""

from django.db import migrations

from topics.defaults import DEFAULT_TOPICS


def fill_french_descriptions(apps, schema_editor):
    Topic = apps.get_model("topics", "Topic")
    for item in DEFAULT_TOPICS:
        Topic.objects.filter(
            slug=item["slug"], description_en=item["description"], description_fr=""
        ).update(description_fr=item["description_fr"])


def clear_french_descriptions(apps, schema_editor):
    Topic = apps.get_model("topics", "Topic")
    for item in DEFAULT_TOPICS:
        Topic.objects.filter(slug=item["slug"], description_fr=item["description_fr"]).update(
            description_fr=""
        )


class Migration(migrations.Migration):
    dependencies = [("topics", "0002_default_topics")]

    operations = [migrations.RunPython(fill_french_descriptions, clear_french_descriptions)]
