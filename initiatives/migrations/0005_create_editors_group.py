from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
# What editors may do: add and change every kind of entry, publish initiatives, delete only
# initiatives (the admin refuses published ones) and network memberships. No users, no groups.
PERMISSIONS = {
    "networks": [
        "view_country",
        "add_network",
        "change_network",
        "view_network",
        "add_facilitator",
        "change_facilitator",
        "view_facilitator",
        "add_membership",
        "change_membership",
        "delete_membership",
        "view_membership",
    ],
    "initiatives": [
        "add_initiative",
        "change_initiative",
        "delete_initiative",
        "view_initiative",
        "publish_initiative",
        "add_sector",
        "change_sector",
        "view_sector",
        "add_crisis",
        "change_crisis",
        "view_crisis",
    ],
    "taggit": ["add_tag", "change_tag", "view_tag"],
}


def create_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    for app_label, codenames in PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def delete_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0004_add_history_and_publish_permission"),
        ("networks", "0003_add_history"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_editors, delete_editors)]
