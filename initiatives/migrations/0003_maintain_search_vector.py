from django.db import migrations

# PostgreSQL keeps `search_vector` in step with the title and the normalised search document,
# stemmed by the entry's language, in a trigger: so every write path (the ORM, bulk inserts,
# COPY) gets it. The GIN index serves `search_vector @@ query` in the finder's search.
# SQLite searches the plain `search_document` and needs neither.
CREATE = """
CREATE FUNCTION initiative_search_vector() RETURNS trigger AS $$
DECLARE
    config regconfig := CASE NEW.language WHEN 'fr' THEN 'french' ELSE 'english' END;
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(config, coalesce(NEW.search_document, '')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER initiative_search_vector
    BEFORE INSERT OR UPDATE OF title, search_document, language ON initiatives_initiative
    FOR EACH ROW EXECUTE FUNCTION initiative_search_vector();

CREATE INDEX initiative_search_vector_gin ON initiatives_initiative USING gin (search_vector);
"""
DROP = """
DROP INDEX IF EXISTS initiative_search_vector_gin;
DROP TRIGGER IF EXISTS initiative_search_vector ON initiatives_initiative;
DROP FUNCTION IF EXISTS initiative_search_vector();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_add_search_fields")]

    operations = [migrations.RunPython(create, drop)]
