from django.db import migrations, models

# A country or sector filter reads its initiatives from these indexes alone, without visiting
# the link tables (Django's own indexes hold the country or the sector, not the initiative).
THROUGH_INDEXES = [
    ("initiative_countries_by_country", "initiatives_initiative_countries", "country_id"),
    ("initiative_sectors_by_sector", "initiatives_initiative_sectors", "sector_id"),
]
# PostgreSQL keeps exact frequencies for the 100 commonest values of a column by default. These
# columns hold more values than that (some 250 countries, hundreds of tags and facilitators);
# without a frequency for a rare one the planner guesses hundreds of rows, and walks the
# newest-first index through most of the table to find a page of a tiny country.
STATISTICS_COLUMNS = [
    ("initiatives_initiative_countries", "country_id"),
    ("initiatives_taggedinitiative", "tag_id"),
    ("initiatives_initiative_partners", "facilitator_id"),
    ("initiatives_initiative", "facilitator_id"),
]


def create_through_indexes(apps, schema_editor):
    for name, table, column in THROUGH_INDEXES:
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({column}, initiative_id)")


def drop_through_indexes(apps, schema_editor):
    for name, _table, _column in THROUGH_INDEXES:
        schema_editor.execute(f"DROP INDEX {name}")


def set_statistics(target):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in STATISTICS_COLUMNS:
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {target}"
            )

    return operation


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0008_search_both_languages")]

    operations = [
        migrations.AddIndex(
            model_name="taggedinitiative",
            index=models.Index(fields=["tag", "content_object"], name="tagged_initiative_by_tag"),
        ),
        migrations.RunPython(create_through_indexes, drop_through_indexes),
        migrations.RunPython(set_statistics(1000), set_statistics(-1)),
    ]
