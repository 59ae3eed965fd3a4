from django.db import migrations

# The finder's default order, newest first with undated entries last, read straight from an
# index on PostgreSQL: published rows only, in (started_on DESC NULLS LAST, id DESC) order.
# SQLite cannot declare NULLS LAST in an index and does without.
CREATE = (
    "CREATE INDEX IF NOT EXISTS initiative_published_newest ON initiatives_initiative "
    "(started_on DESC NULLS LAST, id DESC) WHERE status = 'published'"
)
DROP = "DROP INDEX IF EXISTS initiative_published_newest"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0005_create_editors_group")]

    operations = [migrations.RunPython(create, drop)]
