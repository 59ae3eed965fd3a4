from django.db import migrations

# GIN index for `search_vector @@ query` in the finder's free-text search. PostgreSQL only:
# SQLite searches the plain `search_document` instead and has no use for it.
CREATE = (
    "CREATE INDEX IF NOT EXISTS initiative_search_vector_gin "
    "ON initiatives_initiative USING gin (search_vector)"
)
DROP = "DROP INDEX IF EXISTS initiative_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_add_search_fields")]

    operations = [migrations.RunPython(create_index, drop_index)]
