"""The "Editors" group: everything an editor does in the admin, nothing an operator does."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "articles": {
        "source": ["view", "add", "change"],
        "article": ["view", "add", "change"],
        "transcript": ["view", "add", "change"],
        "digest": ["view", "add", "change", "delete"],
        "keypoint": ["view", "add", "change", "delete"],
        "ingestionlog": ["view"],
    },
    "topics": {"topic": ["view", "add", "change"]},
    "taggit": {"tag": ["view", "add", "change"], "taggeditem": ["view", "add", "change", "delete"]},
    "favorites": {"favorite": ["view"]},
}


def create_group(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = []
    for app_label, models in EDITOR_PERMISSIONS.items():
        for model, actions in models.items():
            codenames += [(app_label, f"{action}_{model}") for action in actions]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("topics", "0002_default_topics"),
        ("favorites", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
