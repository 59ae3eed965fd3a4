"""Data that survives operations: dumpdata/loaddata, the seed loaded twice, a migration undone."""

import io
import json
from datetime import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations import AddField, CreateModel
from django.db.migrations.executor import MigrationExecutor
from taggit.models import Tag

from initiatives.models import Initiative
from tests.directory import make_initiative

# The directory's content: what a backup must keep. The facet index is worked out from it, and
# rebuilt whenever a dump is loaded.
CONTENT_APPS = ["networks", "initiatives", "taggit"]
DERIVED = [
    "initiatives.FacetSet",
    "initiatives.FacetIndexState",
    "initiatives.FacetIndexQueue",
    "initiatives.PublishedSearch",
]


def dump(*app_labels, path=None):
    """Every row of these apps as dumpdata writes them, in a stable order."""
    options = {"natural_foreign": True, "format": "json", "indent": 1, "exclude": DERIVED}
    if path:
        call_command("dumpdata", *app_labels, output=str(path), verbosity=0, **options)
        return json.loads(path.read_text())
    out = io.StringIO()
    call_command("dumpdata", *app_labels, stdout=out, **options)
    return sorted(json.loads(out.getvalue()), key=lambda row: (row["model"], str(row["pk"])))


def without_history(rows):
    return [row for row in rows if not row["model"].split(".")[1].startswith("historical")]


def history(rows):
    return [
        at_millisecond(row) for row in rows if row["model"].split(".")[1].startswith("historical")
    ]


def at_millisecond(row):
    """dumpdata writes a time to the millisecond, "…:57.000Z" for 57.000400 s; loaded back and
    dumped again, the same time is "…:57Z". The same moment either way."""
    fields = row["fields"]
    if "history_date" not in fields:  # a version's many-to-many links
        return row
    moment = datetime.fromisoformat(fields["history_date"].replace("Z", "+00:00"))
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return {**row, "fields": {**fields, "history_date": moment}}


def assert_nothing_lost(after, before):
    """The same content, and every past version still there. Loading records the m2m
    assignments as new versions (django-simple-history), which adds history and loses none."""
    assert without_history(after) == without_history(before)
    assert [row for row in history(before) if row not in history(after)] == []


def test_dumpdata_and_loaddata_bring_back_drafts_and_tags(petition, draft, tmp_path):
    draft.tags.set(["confidential", "Petition"])
    before = dump(*CONTENT_APPS)
    dump(*CONTENT_APPS, path=tmp_path / "backup.json")

    Initiative.objects.all().delete()
    Tag.objects.all().delete()
    Initiative.history.all().delete()  # with the deletions just recorded: as in an empty database
    call_command("loaddata", tmp_path / "backup.json", verbosity=0)

    assert_nothing_lost(dump(*CONTENT_APPS), before)
    restored = Initiative.objects.get(slug="secret-draft")
    assert restored.status == Initiative.Status.DRAFT
    assert sorted(restored.tags.names()) == ["confidential", "petition"]
    assert not Initiative.objects.published().filter(slug="secret-draft").exists()


def test_loading_a_dump_twice_changes_nothing(petition, draft, tmp_path):
    dump(*CONTENT_APPS, path=tmp_path / "backup.json")
    call_command("loaddata", tmp_path / "backup.json", verbosity=0)
    before = dump(*CONTENT_APPS)

    call_command("loaddata", tmp_path / "backup.json", verbosity=0)

    assert_nothing_lost(dump(*CONTENT_APPS), before)


def test_loading_the_seed_content_twice_changes_nothing(db):
    call_command("load_seed", verbosity=0)
    before = dump(*CONTENT_APPS)

    call_command("load_seed", verbosity=0)

    assert_nothing_lost(dump(*CONTENT_APPS), before)


def test_it_refuses_seed_content_with_an_unknown_country_and_saves_nothing(db, tmp_path):
    seed = json.loads((settings.BASE_DIR / "fixtures" / "seed.json").read_text())
    seed["initiatives"][0]["countries"] = ["XX"]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    with pytest.raises(CommandError, match="unknown country codes"):
        call_command("load_seed", str(path), verbosity=0)
    assert not Initiative.objects.exists()


def test_it_refuses_a_file_that_is_not_json(db, tmp_path):
    path = tmp_path / "seed.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_seed", str(path), verbosity=0)


def comparable(rows, fields):
    """Rows with only the fields of the state migrated back to (a column that the last migration
    adds goes with it), without the search columns, which a migration may rebuild differently."""
    return [
        {
            **row,
            "fields": {
                name: value
                for name, value in row["fields"].items()
                if name in fields[row["model"]] and not name.startswith("search_")
            },
        }
        for row in rows
        if row["model"] in fields
    ]


def fields_at(executor, targets):
    """{"app.model": field names} in the state after these migrations."""
    state = executor.loader.project_state(targets)
    return {
        model._meta.label_lower: {field.name for field in model._meta.get_fields()}
        for model in state.apps.get_models()
    }


def added_by(plan):
    """{"app.model": field names, or None for the whole model} that the migrations this plan
    undoes add: stepping back drops those tables and columns with their values, as when an
    app's step back undoes later migrations of the apps that depend on it."""
    added = {}
    for migration, _backwards in plan:
        for operation in migration.operations:
            if isinstance(operation, CreateModel):
                added[f"{migration.app_label}.{operation.name_lower}"] = None
            elif isinstance(operation, AddField):
                model = f"{migration.app_label}.{operation.model_name_lower}"
                if added.get(model, set()) is not None:
                    added.setdefault(model, set()).add(operation.name)
    return added


def project_apps():
    return [
        config.label
        for config in apps.get_app_configs()
        if (settings.BASE_DIR / config.label / "migrations").is_dir()
        and config.path == str(settings.BASE_DIR / config.label)
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_app_migrates_one_step_back_and_forward_again_with_nothing_lost():
    call_command("load_seed", verbosity=0)
    make_initiative("A draft with tags", "a-draft-with-tags", tags=["one", "two"], status="draft")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    stepped = []
    try:
        for app_label in project_apps():
            (leaf,) = executor.loader.graph.leaf_nodes(app_label)
            parents = executor.loader.graph.node_map[leaf].parents
            previous = [parent.key for parent in parents if parent.key[0] == app_label]
            if not previous:
                continue  # only an initial migration: undoing it drops the tables
            fields = fields_at(executor, previous + [node for node in latest if node != leaf])
            for model, names in added_by(executor.migration_plan(previous)).items():
                if names is None:
                    fields.pop(model, None)
                elif model in fields:
                    fields[model] -= names
            before = dump(*CONTENT_APPS)
            executor.migrate(previous)
            executor.loader.build_graph()
            executor.migrate(latest)
            executor.loader.build_graph()
            stepped.append(leaf)
            after = comparable(dump(*CONTENT_APPS), fields)
            assert after == comparable(before, fields), f"{leaf} back and forward lost data"
    finally:
        executor.migrate(latest)
    assert {app_label for app_label, _name in stepped} >= {"initiatives", "networks"}
