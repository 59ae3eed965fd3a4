"""The whole directory as one file: built by `manage.py build_dump`, served with Last-Modified."""

import csv
import io
import json
import os
import threading

import pytest
from django.core.management import call_command
from django.utils.http import http_date

from initiatives.api import dumps

pytestmark = pytest.mark.django_db


@pytest.fixture
def dump_dir(settings, tmp_path):
    settings.DUMP_DIR = tmp_path / "dumps"
    settings.SITE_URL = "https://directory.example"
    return settings.DUMP_DIR


def read(client, format, **headers):
    response = client.get(f"/api/v1/dump.{format}", headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_before_the_first_build_the_dump_is_a_json_404(client, directory, dump_dir):
    response, body = read(client, "json")
    assert response.status_code == 404
    assert "build_dump" in json.loads(body)["detail"]


def test_the_dumps_hold_every_published_initiative_and_no_draft(client, directory, dump_dir):
    call_command("build_dump", stdout=io.StringIO())
    response, body = read(client, "json")
    assert response.status_code == 200
    data = json.loads(body)
    slugs = {item["id"] for item in data["initiatives"]}
    assert slugs == {
        "eu-health-petition",
        "reserve-civique",
        "refugee-help-desk",
        "nurses-helpline",
        "ukraine-hackathon",
    }
    petition = next(item for item in data["initiatives"] if item["id"] == "eu-health-petition")
    assert petition["url"]["fr"] == "https://directory.example/fr/initiatives/eu-health-petition/"
    assert {"facilitators", "networks", "sectors", "crises"} <= data.keys()
    response, body = read(client, "csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row["slug"] for row in rows} == slugs


def test_a_dump_answers_if_modified_since_and_an_unchanged_build_keeps_its_date(
    client, directory, dump_dir
):
    call_command("build_dump", stdout=io.StringIO())
    path = dumps.path_of("json")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    response, _body = read(client, "json")
    assert response["Last-Modified"] == http_date(1_700_000_000)
    again, _body = read(client, "json", **{"If-Modified-Since": response["Last-Modified"]})
    assert again.status_code == 304
    out = io.StringIO()
    call_command("build_dump", stdout=out)
    assert "directory.json: unchanged" in out.getvalue()
    assert path.stat().st_mtime == 1_700_000_000
    directory.petition.title = "A renamed petition"
    directory.petition.save()
    call_command("build_dump", stdout=io.StringIO())
    assert path.stat().st_mtime > 1_700_000_000
    assert "A renamed petition" in read(client, "json")[1].decode()


def test_a_reader_never_gets_part_of_a_dump_while_it_is_rebuilt(client, directory, dump_dir):
    call_command("build_dump", stdout=io.StringIO())
    path = dumps.path_of("json")
    done, broken, reads = threading.Event(), [], [0]

    def keep_reading():
        while not done.is_set():
            try:
                json.loads(path.read_bytes())
            except ValueError as error:
                broken.append(error)
            reads[0] += 1

    reader = threading.Thread(target=keep_reading)
    reader.start()
    try:
        for number in range(15):
            directory.petition.title = f"Petition, edit {number}"
            directory.petition.save()
            dumps.build()
    finally:
        done.set()
        reader.join()
    assert reads[0] > 15
    assert broken == []
    assert not [name for name in os.listdir(dump_dir) if name.startswith("tmp")]


def test_an_unknown_format_is_a_404(client, directory, dump_dir):
    assert client.get("/api/v1/dump.xml").status_code == 404
