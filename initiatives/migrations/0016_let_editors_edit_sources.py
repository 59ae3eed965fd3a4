from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
# Editors keep an initiative's sources on its form: add, change and remove them.
CODENAMES = ["add_source", "change_source", "delete_source", "view_source"]


def let_editors_edit_sources(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("initiatives")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="initiatives", codename__in=CODENAMES)
    )


def take_sources_from_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=EDITORS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="initiatives", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0015_remove_initiative_source_url"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(let_editors_edit_sources, take_sources_from_editors)]
