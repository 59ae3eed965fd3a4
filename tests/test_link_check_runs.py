"""Two runs of check_sources at once, as cron or a systemd timer may start them: the second
finds the first's lease, committed, and asks no site."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from initiatives.sources import Source
from tests import local_sites
from tests.directory import make_initiative

# Its writes commit for real; the countries the migrations made are restored after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_run_started_during_another_asks_no_site(settings):
    sites, stop = local_sites.start(host_count=1)
    settings.LINK_CHECK_CANARY_URL = sites.canary
    settings.WAYBACK_AVAILABILITY_URL = f"{sites.wayback}/wayback/available"
    settings.LINK_CHECK_HOST_INTERVAL = 0
    settings.LINK_CHECK_TIMEOUT = 5
    initiative = make_initiative("Slow to check", "slow-to-check", sources=[])
    Source.objects.create(
        initiative=initiative, url=sites.url(0, "/slow"), accessed_on=datetime.date(2026, 12, 1)
    )
    first_out, second_out = io.StringIO(), io.StringIO()

    def first_run():
        try:
            call_command("check_sources", stdout=first_out)
        finally:
            connection.close()

    first = threading.Thread(target=first_run)
    try:
        first.start()
        while not any(hit.path == "/slow" for hit in sites.hits):
            first.join(0.01)
            assert first.is_alive(), first_out.getvalue()
        call_command("check_sources", stdout=second_out)
        first.join(10)
    finally:
        stop()
    assert "Another run is under way" in second_out.getvalue()
    assert "1 of 1 due links checked" in first_out.getvalue()
    assert [hit.path for hit in sites.hits if hit.path == "/slow"] == ["/slow"]
