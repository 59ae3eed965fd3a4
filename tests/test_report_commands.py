"""The daily jobs of the moderation queue: the editors' digest by email, through a real SMTP
server on loopback, and forgetting what readers sent more than 12 months ago."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from initiatives.corrections import Correction, Proposal, ReportStatus
from initiatives.moderation import make_draft

pytestmark = pytest.mark.django_db


def run(command):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def mailing_through(port, **extra):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        SITE_URL="https://probono.example.org",
        **extra,
    )


@pytest.fixture
def waiting(directory):
    correction = Correction.objects.create(
        initiative=directory.petition,
        part="dates",
        problem="Wrong year.",
        correction="2021.",
        email="secret-reader@example.net",
    )
    Correction.objects.create(
        facilitator=directory.good_lobby,
        part="name",
        problem="Old.",
        correction="New.",
        status=ReportStatus.SPAM,
    )
    proposal = Proposal.objects.create(
        title="Lawyers for tenants", summary="Advice.", source_url="https://example.org/t"
    )
    return correction, proposal


def test_the_digest_tells_each_editor_what_waits_with_links_and_no_reader_email(
    smtp_server, waiting, editor, django_user_model
):
    port, received = smtp_server
    correction, proposal = waiting
    colleague = django_user_model.objects.create_user("ed2", "ed2@example.org", is_staff=True)
    colleague.groups.add(Group.objects.get(name="Editors"))
    django_user_model.objects.create_user("reader", "reader@example.org")  # not staff

    with mailing_through(port):
        assert "sent to 2 editors" in run("send_moderation_digest")

    (message,) = received
    assert sorted(message["To"].split(", ")) == ["ed2@example.org", "edith@example.org"]
    subject = " ".join(message["Subject"].split())
    assert subject == "[Pro Bono Directory] To moderate: 1 correction, 1 proposal"
    body = message.get_payload()
    assert "Petition to the EU health ministers (Dates)" in body
    assert (
        f"https://probono.example.org/admin/initiatives/correction/{correction.pk}/change/" in body
    )
    assert f"https://probono.example.org/admin/initiatives/proposal/{proposal.pk}/change/" in body
    assert "Lawyers for tenants" in body
    assert "The Good Lobby" not in body  # spam is not news
    assert "secret-reader" not in body


def test_the_digest_goes_to_the_addresses_named_if_any(smtp_server, waiting, editor):
    port, received = smtp_server
    with mailing_through(port, MODERATION_DIGEST_TO=["desk@example.org"]):
        run("send_moderation_digest")
    (message,) = received
    assert message["To"] == "desk@example.org"


def test_no_digest_when_nothing_waits(smtp_server, directory, editor):
    port, received = smtp_server
    Correction.objects.create(
        initiative=directory.petition,
        part="dates",
        problem="x",
        correction="y",
        status=ReportStatus.ACCEPTED,
    )
    with mailing_through(port):
        assert "no email sent" in run("send_moderation_digest")
    assert received == []


def test_reports_older_than_12_months_are_forgotten_with_their_emails(waiting, editor):
    correction, proposal = waiting
    draft = make_draft(proposal, editor)
    old = timezone.now() - datetime.timedelta(days=366)
    Correction.objects.filter(pk=correction.pk).update(created_at=old)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=old)

    assert "Forgot 1 corrections and 1 proposals" in run("forget_old_reports")

    assert not Correction.objects.filter(email="secret-reader@example.net").exists()
    assert not Proposal.objects.exists()
    assert Correction.objects.count() == 1  # the recent one stays
    draft.refresh_from_db()  # the draft made of the proposal stays
    # Run again the next day, it finds nothing more to forget.
    assert "Forgot 0 corrections and 0 proposals" in run("forget_old_reports")
