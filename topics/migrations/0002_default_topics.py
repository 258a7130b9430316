from django.db import migrations

from topics.defaults import DEFAULT_TOPICS


def create_topics(apps, schema_editor):
    Topic = apps.get_model("topics", "Topic")
    for item in DEFAULT_TOPICS:
        Topic.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name_en": item["name_en"],
                "name_fr": item["name_fr"],
                "description_en": item["description"],
                "keywords": ", ".join(item["keywords"]),
                "order": item["order"],
                "in_nav": item["in_nav"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("topics", "0001_initial")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
