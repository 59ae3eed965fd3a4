"""An import's uploaded file: refused past the size limit before anything reads it, never left
behind in the temporary directory, and never named by the request."""

import os
import tempfile
import time

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.models import Initiative
from initiatives.resources import InitiativeResource
from networks.import_uploads import UploadStorage
from tests.test_admin_import_export import (
    CSV,
    INITIATIVES,
    csv_text,
    errors_of,
    initiative_row,
    preview,
)

pytestmark = pytest.mark.django_db

VALID = csv_text(initiative_row())
INVALID = csv_text(initiative_row(countries="Atlantis"))


@pytest.fixture(autouse=True)
def tmp_dir(tmp_path, monkeypatch):
    """A temporary directory of the test's own, to list: every import file goes there."""
    path = tmp_path / "tmp"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    return path


def files_in(path):
    return sorted(str(file.relative_to(path)) for file in path.rglob("*") if file.is_file())


def upload(client, content, name="import.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(INITIATIVES + "import/", {"import_file": file, "format": CSV})


def confirm(client, data):
    return client.post(INITIATIVES + "process_import/", data, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# The size limit


def test_a_file_over_the_limit_is_refused_before_it_is_read(editor_client, settings, tmp_dir):
    settings.IMPORT_MAX_UPLOAD_BYTES = len(VALID.encode()) - 1
    response = upload(editor_client, VALID.encode())
    assert response.status_code == 200
    limit = f"{len(VALID.encode()) - 1}\xa0bytes"
    assert response.context["form"].errors["import_file"] == [
        f"This file is {len(VALID.encode())}\xa0bytes; an import takes files of up to {limit}. "
        "Split it into several files."
    ]
    assert "result" not in response.context  # nothing parsed, nothing previewed
    assert files_in(tmp_dir) == []
    settings.IMPORT_MAX_UPLOAD_BYTES = len(VALID.encode())
    assert "confirm_form" in upload(editor_client, VALID.encode()).context


def test_the_import_page_gives_the_limit(editor_client):
    response = editor_client.get(INITIATIVES + "import/")
    assert "Up to 16.0\xa0MB." in response.content.decode()


def test_a_file_past_the_default_limit_is_refused_in_words(editor_client, tmp_dir):
    """The finding: 40 MiB were read, parsed and kept. 17 MiB of one long line would parse fast."""
    response = upload(editor_client, b"x" * (17 * 1024 * 1024))
    assert response.status_code == 200
    assert "an import takes files of up to 16.0\xa0MB" in response.content.decode()
    assert "result" not in response.context
    assert files_in(tmp_dir) == []


# No file left behind


def test_a_preview_keeps_the_file_until_its_confirmation_takes_it(editor_client, legal, tmp_dir):
    response = upload(editor_client, VALID.encode())
    assert len(files_in(tmp_dir)) == 1
    data = response.context["confirm_form"].initial
    response = confirm(editor_client, data)
    assert Initiative.objects.filter(slug="tenant-clinics").exists()
    assert files_in(tmp_dir) == []
    # A second click on "Confirm import" imports nothing and says why.
    response = confirm(editor_client, data)
    assert response.status_code == 200
    assert "This preview has been confirmed already, or it is too old." in messages_of(response)
    assert response.redirect_chain[-1][0] == INITIATIVES + "import/"


@pytest.mark.parametrize(
    "content",
    [INVALID.encode(), b"slug,title_en\n\xff\xfe\xfa,x\n"],
    ids=["a refused row", "not UTF-8"],
)
def test_a_preview_that_offers_no_confirmation_keeps_no_file(editor_client, content, tmp_dir):
    response = upload(editor_client, content)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert files_in(tmp_dir) == []


def test_a_confirmation_that_fails_keeps_no_file(editor_client, legal, tmp_dir):
    response = preview(editor_client, INITIATIVES, csv_text(initiative_row(sectors="legal")))
    data = response.context["confirm_form"].initial
    legal.delete()
    response = confirm(editor_client, data)
    assert "Nothing was imported." in messages_of(response)
    assert files_in(tmp_dir) == []
    # Back in the browser, then "Confirm import" again: told so, not a server error.
    response = confirm(editor_client, data)
    assert response.status_code == 200
    assert "This preview has been confirmed already, or it is too old." in messages_of(response)


def crash(*args, **kwargs):
    raise RuntimeError("the database went away")


def test_a_preview_that_crashes_keeps_no_file(editor_client, monkeypatch, tmp_dir):
    monkeypatch.setattr(InitiativeResource, "import_data", crash)
    with pytest.raises(RuntimeError):
        upload(editor_client, VALID.encode())
    assert files_in(tmp_dir) == []


def test_a_confirmation_that_crashes_keeps_no_file(editor_client, legal, monkeypatch, tmp_dir):
    response = upload(editor_client, VALID.encode())
    monkeypatch.setattr(InitiativeResource, "import_data", crash)
    with pytest.raises(RuntimeError):
        confirm(editor_client, response.context["confirm_form"].initial)
    assert files_in(tmp_dir) == []


def test_a_preview_nobody_confirms_is_removed_by_a_later_upload(editor_client, legal, tmp_dir):
    abandoned = upload(editor_client, VALID.encode()).context["confirm_form"].initial
    [name] = files_in(tmp_dir)
    day_ago = time.time() - 24 * 3600 - 60
    os.utime(tmp_dir / name, (day_ago, day_ago))
    recent = upload(editor_client, csv_text(initiative_row(slug="other")).encode())
    assert "confirm_form" in recent.context, errors_of(recent)
    assert name not in files_in(tmp_dir)
    assert len(files_in(tmp_dir)) == 1
    response = confirm(editor_client, abandoned)
    assert "This preview has been confirmed already, or it is too old." in messages_of(response)
    assert not Initiative.objects.filter(slug="tenant-clinics").exists()


# Names never taken from the request


@pytest.mark.parametrize(
    "crafted",
    [
        lambda victim, genuine: "../" + victim.parent.name + "/" + victim.name,
        lambda victim, genuine: str(victim),
        lambda victim, genuine: victim.name,
        lambda victim, genuine: genuine.name,
    ],
    ids=["path traversal", "absolute path", "a file in the temporary directory", "unsigned"],
)
def test_a_crafted_file_name_touches_nothing(editor_client, legal, crafted, tmp_dir):
    victim = tmp_dir / "victim.csv"
    victim.write_bytes(VALID.encode())
    data = upload(editor_client, VALID.encode()).context["confirm_form"].initial
    [genuine] = [path for path in tmp_dir.rglob("*") if path.is_file() and path != victim]
    response = confirm(editor_client, {**data, "import_file_name": crafted(victim, genuine)})
    assert response.status_code == 200
    assert "This confirmation does not match a preview." in messages_of(response)
    assert victim.read_bytes() == VALID.encode()
    assert genuine.read_bytes() == VALID.encode()  # the real preview can still be confirmed
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("format", "x"), ("format", "99"), ("resource", "7"), ("format", "1")]
)
def test_a_confirmation_with_another_format_or_resource_is_refused(
    editor_client, legal, field, value, tmp_dir
):
    """import-export reads both as list indexes: "x" or "99" was a server error."""
    data = upload(editor_client, VALID.encode()).context["confirm_form"].initial
    [genuine] = files_in(tmp_dir)
    response = confirm(editor_client, {**data, field: value})
    assert response.status_code == 200
    assert "This confirmation does not match a preview." in messages_of(response)
    assert files_in(tmp_dir) == [genuine]
    assert not Initiative.objects.exists()


def test_a_confirmation_older_than_the_previews_age_is_refused(editor_client, legal, settings):
    data = upload(editor_client, VALID.encode()).context["confirm_form"].initial
    settings.IMPORT_PREVIEW_MAX_AGE = -1
    response = confirm(editor_client, data)
    assert "This preview is too old to confirm." in messages_of(response)
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("name", ["../victim", "/etc/passwd", "", "A" * 32, "0" * 31])
def test_the_storage_refuses_any_name_it_did_not_make(name):
    with pytest.raises(SuspiciousFileOperation):
        UploadStorage(name=name).read()
