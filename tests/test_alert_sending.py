"""send_alerts never sends an email twice: not when one email fails, not when two runs, in
processes of their own, work at the same time."""

import asyncio
import datetime
import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from initiatives.alerts import Alert, Delivery, Subscriber
from tests.directory import make_initiative

ROOT = Path(settings.BASE_DIR)


class Mailbox:
    """An SMTP handler that keeps each message's recipients, refuses the addresses in
    `refused` with a 550, and takes `delay` seconds over each message, as a busy server does."""

    def __init__(self, delay=0.0):
        self.received, self.refused, self.delay = [], set(), delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    box.port = port
    yield box
    controller.stop()


def followers(count, sector):
    """`count` confirmed daily alerts of the legal sector, news from an hour ago on, and one
    initiative published since."""
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for number in range(count):
        subscriber = Subscriber.objects.create(email=f"reader{number}@example.net")
        Alert.objects.create(
            subscriber=subscriber,
            query="sector=legal",
            frequency="daily",
            language="en",
            confirmed_at=an_hour_ago,
            sent_up_to=an_hour_ago,
        )
    news = make_initiative("News", "news", sectors=[sector])
    news.published_at = timezone.now() - datetime.timedelta(minutes=10)
    news.save()


def run():
    out = io.StringIO()
    call_command("send_alerts", "--frequency", "daily", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_email_refused_by_the_server_is_sent_next_run_and_the_others_once(mailbox, legal):
    followers(3, legal)
    mailbox.refused = {"reader1@example.net"}
    assert "Sent 2 alert emails; 1 failed" in run()
    assert sorted(mailbox.received) == ["reader0@example.net", "reader2@example.net"]
    assert Delivery.objects.get(status=Delivery.Status.FAILED).alert.subscriber.email == (
        "reader1@example.net"
    )
    mailbox.refused = set()
    assert "Sent 1 alert emails; 0 failed" in run()
    assert "Sent 0 alert emails; 0 failed" in run()
    assert sorted(mailbox.received) == [f"reader{number}@example.net" for number in range(3)]
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


@pytest.mark.django_db
def test_an_address_refused_five_times_is_left_alone(mailbox, legal):
    followers(1, legal)
    mailbox.refused = {"reader0@example.net"}
    for _run in range(5):
        assert "Sent 0 alert emails; 1 failed" in run()
    assert "Sent 0 alert emails; 0 failed" in run()
    assert Delivery.objects.get().attempts == 5


def database_url():
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user, host, port = database["USER"], database["HOST"], database["PORT"]
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_in_two_processes_send_each_email_once(mailbox, legal):
    followers(40, legal)
    mailbox.delay = 0.02
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox.port),
        "DEBUG": "false",
    }
    command = [sys.executable, "manage.py", "send_alerts", "--frequency", "daily"]
    runs = [
        subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True)
        for _run in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(mailbox.received) == sorted(f"reader{number}@example.net" for number in range(40))
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 40
    sent = [int(output.split("Sent ")[1].split()[0]) for output in outputs]
    assert sum(sent) == 40, outputs
    if connection.vendor == "postgresql":
        # Both runs took their share: each passed over the alerts the other one held.
        assert all(sent), outputs
