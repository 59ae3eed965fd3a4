import django.db.models.deletion
from django.db import migrations, models

# On SQLite, the search as on PostgreSQL (migrations 0008 and 0012): the five sections of each
# initiative's search document (initiatives/search.py) in an FTS5 table, kept by triggers in the
# writer's transaction, ranked by bm25 with ts_rank's weights for A (titles) and B (the rest).
# Porter stems English, and takes the plural off most French words; accents and case are folded.
INDEXED = "initiatives_searchindex (rowid, title_en, title_fr, text_en, text_fr, shared)"
# An FTS5 "delete" names the words to take out: those of the document as it was.
UNINDEXED = (
    "initiatives_searchindex"
    " (initiatives_searchindex, rowid, title_en, title_fr, text_en, text_fr, shared)"
)
CREATE = [
    # The sections, between the form feeds (char(12)) at p1 to p4: SQLite has no split_part.
    """CREATE VIEW initiatives_searchsections AS
    SELECT id,
        substr(doc, 1, p1 - 1) AS title_en,
        substr(doc, p1 + 1, p2 - p1 - 1) AS title_fr,
        substr(doc, p2 + 1, p3 - p2 - 1) AS text_en,
        substr(doc, p3 + 1, p4 - p3 - 1) AS text_fr,
        substr(doc, p4 + 1) AS shared
    FROM (SELECT *, p3 + instr(substr(doc, p3 + 1), char(12)) AS p4
    FROM (SELECT *, p2 + instr(substr(doc, p2 + 1), char(12)) AS p3
    FROM (SELECT *, p1 + instr(substr(doc, p1 + 1), char(12)) AS p2
    FROM (SELECT id, search_document AS doc, instr(search_document, char(12)) AS p1
        FROM initiatives_initiative))))""",
    # Its text read from the view, not copied: 175 MB less at 100 000 initiatives.
    """CREATE VIRTUAL TABLE initiatives_searchindex USING fts5(
        title_en, title_fr, text_en, text_fr, shared,
        content = 'initiatives_searchsections', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    """INSERT INTO initiatives_searchindex (initiatives_searchindex, rank)
        VALUES ('rank', 'bm25(1.0, 1.0, 0.4, 0.4, 0.4)')""",
    f"""CREATE TRIGGER initiatives_searchindex_insert AFTER INSERT ON initiatives_initiative
    BEGIN
        INSERT INTO {INDEXED} SELECT * FROM initiatives_searchsections WHERE id = NEW.id;
    END""",
    f"""CREATE TRIGGER initiatives_searchindex_unindex BEFORE UPDATE OF search_document
        ON initiatives_initiative WHEN OLD.search_document IS NOT NEW.search_document
    BEGIN
        INSERT INTO {UNINDEXED}
            SELECT 'delete', * FROM initiatives_searchsections WHERE id = OLD.id;
    END""",
    f"""CREATE TRIGGER initiatives_searchindex_reindex AFTER UPDATE OF search_document
        ON initiatives_initiative WHEN OLD.search_document IS NOT NEW.search_document
    BEGIN
        INSERT INTO {INDEXED} SELECT * FROM initiatives_searchsections WHERE id = NEW.id;
    END""",
    f"""CREATE TRIGGER initiatives_searchindex_delete BEFORE DELETE ON initiatives_initiative
    BEGIN
        INSERT INTO {UNINDEXED}
            SELECT 'delete', * FROM initiatives_searchsections WHERE id = OLD.id;
    END""",
    "INSERT INTO initiatives_searchindex (initiatives_searchindex) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER initiatives_searchindex_insert",
    "DROP TRIGGER initiatives_searchindex_unindex",
    "DROP TRIGGER initiatives_searchindex_reindex",
    "DROP TRIGGER initiatives_searchindex_delete",
    "DROP TABLE initiatives_searchindex",
    "DROP VIEW initiatives_searchsections",
]


def has_fts5(connection):
    """Most builds of SQLite have FTS5; one without keeps searching word by word, and says so."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        return bool(cursor.fetchone()[0])


def is_built(connection):
    return "initiatives_searchindex" in connection.introspection.table_names()


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite" and has_fts5(connection):
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite" and is_built(connection):
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0016_let_editors_edit_sources")]

    operations = [
        migrations.CreateModel(
            name="SearchIndex",
            fields=[
                (
                    "initiative",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_index",
                        serialize=False,
                        to="initiatives.initiative",
                    ),
                ),
                ("document", models.TextField(db_column="initiatives_searchindex")),
                ("rank", models.FloatField()),
            ],
            options={"managed": False},
        ),
        migrations.RunPython(create, drop),
    ]
