import unicodedata

from django.db import migrations

# The search document now has five sections (see initiatives/search.py): each language's text
# is stemmed by its own rules, so French entries are found by French word forms.
FUNCTION = """
CREATE OR REPLACE FUNCTION initiative_search_vector() RETURNS trigger AS $$
DECLARE
    config regconfig := CASE NEW.language WHEN 'fr' THEN 'french' ELSE 'english' END;
    doc text := coalesce(NEW.search_document, '');
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', split_part(doc, E'\\f', 1)), 'A')
        || setweight(to_tsvector('french', split_part(doc, E'\\f', 2)), 'A')
        || setweight(to_tsvector('english', split_part(doc, E'\\f', 3)), 'B')
        || setweight(to_tsvector('french', split_part(doc, E'\\f', 4)), 'B')
        || setweight(to_tsvector(config, split_part(doc, E'\\f', 5)), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER initiative_search_vector ON initiatives_initiative;
CREATE TRIGGER initiative_search_vector
    BEFORE INSERT OR UPDATE OF search_document, language ON initiatives_initiative
    FOR EACH ROW EXECUTE FUNCTION initiative_search_vector();
"""
PREVIOUS_FUNCTION = """
CREATE OR REPLACE FUNCTION initiative_search_vector() RETURNS trigger AS $$
DECLARE
    config regconfig := CASE NEW.language WHEN 'fr' THEN 'french' ELSE 'english' END;
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(config, coalesce(NEW.search_document, '')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER initiative_search_vector ON initiatives_initiative;
CREATE TRIGGER initiative_search_vector
    BEFORE INSERT OR UPDATE OF title, search_document, language ON initiatives_initiative
    FOR EACH ROW EXECUTE FUNCTION initiative_search_vector();
"""
SECTION = "\f"
BATCH_SIZE = 2000


def normalise(text):
    decomposed = unicodedata.normalize("NFKD", (text or "").replace(SECTION, " ").casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def lines(*parts):
    return "\n".join(part for part in parts if part)


def rebuild_documents(apps, schema_editor):
    """The same document as initiatives.search.document_for, frozen here as this step needs it."""
    Initiative = apps.get_model("initiatives", "Initiative")
    TaggedInitiative = apps.get_model("initiatives", "TaggedInitiative")
    tags = {}
    for initiative_id, name in TaggedInitiative.objects.values_list(
        "content_object_id", "tag__name"
    ):
        tags.setdefault(initiative_id, []).append(name)
    pks = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH_SIZE):
        rows = Initiative.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).values_list(
            "pk", "title_en", "title_fr", "summary_en", "description_en", "summary_fr",
            "description_fr", "facilitator__name", "other_organisations",
        )
        batch = []
        for pk, title_en, title_fr, summary_en, text_en, summary_fr, text_fr, lead, others in rows:
            sections = [
                title_en,
                title_fr,
                lines(summary_en, text_en),
                lines(summary_fr, text_fr),
                lines(" ".join(tags.get(pk, [])), lead, others),
            ]
            document = SECTION.join(normalise(section) for section in sections)
            batch.append(Initiative(pk=pk, search_document=document))
        Initiative.objects.bulk_update(batch, ["search_document"])

def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
    rebuild_documents(apps, schema_editor)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS_FUNCTION)
        schema_editor.execute(
            "UPDATE initiatives_initiative SET search_vector = NULL, language = language"
        )


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0007_add_translations")]

    operations = [migrations.RunPython(create, restore)]
