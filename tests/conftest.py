import contextlib
import copy
import datetime
import html
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from initiatives.sources import Source
from tests import local_sites
from tests.directory import (
    build_directory,
    create_clinics,
    create_covid,
    create_draft,
    create_facilitator,
    create_legal,
    create_network,
    create_petition,
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file: tests of a reader beside an editor's open
    transaction need two real connections, and threads sharing an in-memory database lock
    each other's tables instead."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "tests.db")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages, counts or versions: the database is new for each
    test, and this process's copy of the facet index no longer matches it."""
    from initiatives import facet_index

    flush_caches()
    facet_index.forget()


def flush_caches():
    """Every cache emptied, versions included, as a restarted Redis would be."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


REDIS = {
    alias: {
        "BACKEND": "probono.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": f"tests-each-cache-{alias}",
    }
    for alias in ("default", "versions")
}
LOCAL_MEMORY = {
    alias: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"each-cache-{alias}",
    }
    for alias in ("default", "versions")
}


@pytest.fixture(params=["local memory", "redis"])
def each_cache(request):
    """The page cache, data version and counts in local memory, then in a real Redis."""
    from django.test import override_settings

    with override_settings(CACHES=LOCAL_MEMORY if request.param == "local memory" else REDIS):
        flush_caches()
        yield request.param
        flush_caches()


@pytest.fixture(autouse=True)
def english_at_start():
    """A French request leaves French active in the thread, and `title=` would then fill
    `title_fr` (django-modeltranslation): each test starts in the default language."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Django's advice for test suites: a quick hasher. Production keeps Django's default,
    whose million rounds cost a quarter of a second per password set or checked."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@contextlib.contextmanager
def rolled_back_after(django_db_blocker):
    """For data a module builds once: one transaction around the module's tests, rolled back
    after them. Each test's own transaction nests in it (a savepoint), as in Django's
    TestCase.setUpTestData, so what a test writes is undone before the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def directory_built_once_per(scope):
    """The `directory`, built once for a module or a class. One whose tests leave the data as
    they found it (writes rolled back after each test; no second connection, no transactional
    test) opts in with `pytest.mark.usefixtures(<this fixture's name>)`: its tests then get
    `directory`, `petition`, `legal`... from this build, as fresh copies."""

    @pytest.fixture(scope=scope)
    def built_once(django_db_setup, django_db_blocker):
        with rolled_back_after(django_db_blocker):
            legal, covid, network = create_legal(), create_covid(), create_network()
            facilitator = create_facilitator(network)
            petition = create_petition(facilitator, legal, covid)
            draft = create_draft(facilitator, legal, covid)
            yield build_directory(petition, draft, facilitator, network, legal, covid)

    return built_once


directory_built_once = directory_built_once_per("module")
directory_built_once_per_class = directory_built_once_per("class")


def seed_loaded_once_per(scope):
    """The seed content, loaded once for a module or a class whose tests leave it as they found
    it; one opts in with `pytest.mark.usefixtures(<this fixture's name>)`."""

    @pytest.fixture(scope=scope)
    def loaded_once(django_db_setup, django_db_blocker):
        with rolled_back_after(django_db_blocker):
            call_command("load_seed", verbosity=0)
            yield

    return loaded_once


seed_loaded_once = seed_loaded_once_per("module")
seed_loaded_once_per_class = seed_loaded_once_per("class")


@pytest.fixture
def seeded(request, db):
    """The seed content: the module's or class's copy (`seed_loaded_once...`), or loaded for
    this test."""
    if not {"seed_loaded_once", "seed_loaded_once_per_class"} & set(request.fixturenames):
        call_command("load_seed", verbosity=0)


@pytest.fixture(scope="class")
def clinics_built_once(directory_built_once, django_db_blocker):
    """`clinics`, built once for a class of tests in a module that built the directory once
    (`pytest.mark.usefixtures("clinics_built_once")` on the class)."""
    with rolled_back_after(django_db_blocker):
        yield create_clinics(directory_built_once.legal)


@pytest.fixture
def clinics(request, directory):
    if "clinics_built_once" not in request.fixturenames:
        create_clinics(directory.legal)


SHARED_DIRECTORIES = ["directory_built_once", "directory_built_once_per_class"]


@pytest.fixture
def shared(request, db):
    """This test's own copy of the directory its module or class built once, else None."""
    built = [name for name in SHARED_DIRECTORIES if name in request.fixturenames]
    if not built:
        return None
    if "transactional_db" in request.fixturenames:
        raise pytest.UsageError("A transactional test would commit into the shared data.")
    return copy.deepcopy(request.getfixturevalue(built[0]))


@pytest.fixture
def legal(shared):
    return shared.legal if shared else create_legal()


@pytest.fixture
def covid(shared):
    return shared.covid if shared else create_covid()


@pytest.fixture
def network(shared):
    return shared.global_network if shared else create_network()


@pytest.fixture
def facilitator(shared, network):
    return shared.good_lobby if shared else create_facilitator(network)


@pytest.fixture
def petition(shared, facilitator, legal, covid):
    return shared.petition if shared else create_petition(facilitator, legal, covid)


@pytest.fixture
def draft(shared, facilitator, legal, covid):
    return shared.draft if shared else create_draft(facilitator, legal, covid)


@pytest.fixture
def directory(shared, petition, draft, facilitator, network, legal, covid):
    return shared or build_directory(petition, draft, facilitator, network, legal, covid)


def body(response):
    """The whole answer, streamed (the exports) or not: a stream that fails does so here."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def body_text(response):
    """The answer as text, without the byte-order mark a CSV export starts with."""
    return body(response).decode("utf-8-sig")


def sitemap_pages(client):
    """The pages of the sitemap, as its index lists them."""
    index = client.get("/sitemap.xml").content.decode()
    return [
        re.sub(r"^https?://[^/]+", "", html.unescape(url))
        for url in re.findall(r"<loc>(.*?)</loc>", index)
    ]


def sitemap_text(client):
    """Every page of the sitemap, as one text."""
    return "".join(client.get(page).content.decode() for page in sitemap_pages(client))


def shown_slugs(response):
    """The initiatives a finder page lists, in order, as a reader sees them: one card each."""
    content = response.content.decode()
    return re.findall(r'class="card__title"><a href="/initiatives/([\w-]+)/"', content)


def notices(response):
    """The lines of the "Part of this link could not be used" notice, unescaped."""
    block = re.search(
        r'<div class="notice" role="status">(.*?)</div>', response.content.decode(), re.S
    )
    return (
        [html.unescape(line) for line in re.findall(r"<li>(.*?)</li>", block[1])] if block else []
    )


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("edith", "edith@example.org", "not-used-here")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def client_factory():
    """Fresh clients, for a reader who is not the logged-in staff member."""
    from django.test import Client

    return Client


def admin_form_data(response, **changes):
    """What a browser sends back from an admin form page, with `changes`: every field as shown,
    inline formsets included."""
    data = bound_values(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data |= bound_values(formset.management_form)
        for form in formset.forms:
            data |= bound_values(form)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def bound_values(form):
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(item) for item in value]
        else:
            data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


@pytest.fixture(scope="module")
def local_sites_running():
    running, stop = local_sites.start()
    yield running
    stop()


@pytest.fixture
def sites(local_sites_running, settings):
    """The local web sites and Wayback Machine (tests/local_sites.py), with nothing recorded
    yet, and the link checker pointed at them, asking them as fast as it likes."""
    local_sites_running.forget()
    settings.LINK_CHECK_CANARY_URL = local_sites_running.canary
    settings.WAYBACK_AVAILABILITY_URL = f"{local_sites_running.wayback}/wayback/available"
    settings.WAYBACK_SAVE_URL = f"{local_sites_running.wayback}/save"
    settings.LINK_CHECK_TIMEOUT = 0.5
    settings.LINK_CHECK_HOST_INTERVAL = 0
    settings.WAYBACK_ACCESS_KEY = settings.WAYBACK_SECRET_KEY = ""
    return local_sites_running


@pytest.fixture(scope="module")
def only_new_sources_due(directory_built_once, django_db_blocker):
    """The directory's own sources (example.org) neither due nor to look up: no test of the
    link checker asks the internet."""
    later = timezone.now() + datetime.timedelta(days=36500)
    with django_db_blocker.unblock():
        Source.objects.update(next_check_at=later, archive_checked_at=later)


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback that keeps what it receives."""
    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()
