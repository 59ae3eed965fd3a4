"""Editors moderate what readers send: the queue, accepting a correction and applying it to its
entry (conflict-safe, in its history, verified by reader correction), proposals made drafts."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives.corrections import Correction, Proposal, ReportStatus
from initiatives.models import Initiative
from networks.models import Facilitator
from probono.verification import Method
from probono.verification_admin import needing
from tests.conftest import admin_form_data

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:initiatives_correction_changelist")
PROPOSALS = reverse("admin:initiatives_proposal_changelist")


def correction_of(entry, **fields):
    fields = {"part": "name", "problem": "Misspelt.", "correction": "Spelt right.", **fields}
    return Correction.objects.create(**{entry._meta.model_name: entry}, **fields)


def proposal(**fields):
    fields = {
        "title": "Lawyers for tenants",
        "summary": "Volunteer lawyers advised tenants facing eviction.",
        "kind": "legal-advice",
        "source_url": "https://example.org/tenants",
        "facilitator_name": "the good lobby",
        "started_on": datetime.date(2021, 3, 1),
        **fields,
    }
    made = Proposal.objects.create(**fields)
    made.countries.set(["BE", "FR"])
    return made


def change_url(report):
    return reverse(f"admin:initiatives_{report._meta.model_name}_change", args=[report.pk])


def decide(client, report, button, **changes):
    """Press one of the decision buttons of the report's change page."""
    data = admin_form_data(client.get(change_url(report)), **changes)
    return client.post(change_url(report), {**data, button: "1"})


def test_the_queue_lists_the_new_first_and_filters_by_status_and_entry(editor_client, directory):
    handled = correction_of(directory.petition, status=ReportStatus.REJECTED)
    older = correction_of(directory.good_lobby)
    newer = correction_of(directory.global_network)
    listed = list(editor_client.get(QUEUE).context["cl"].result_list)
    assert listed == [newer, older, handled]
    new = editor_client.get(QUEUE + "?status__exact=new").context["cl"].result_list
    assert list(new) == [newer, older]
    facilitators = editor_client.get(QUEUE + "?entry=facilitator").context["cl"].result_list
    assert list(facilitators) == [older]


def test_editors_see_how_many_reports_wait_in_the_admin_s_header(editor_client, directory):
    correction_of(directory.petition)
    correction_of(directory.good_lobby, status=ReportStatus.SPAM)
    proposal()
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert f'href="{QUEUE}?status__exact=new">2 reader reports to moderate</a>' in page


def test_staff_without_the_moderation_permissions_see_no_count_and_no_queue(
    directory, django_user_model
):
    correction_of(directory.petition, email="reader@example.net")
    user = django_user_model.objects.create_user("vera", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_initiative"))
    client = Client()
    client.force_login(user)
    assert "to moderate" not in client.get(reverse("admin:index")).content.decode()
    assert client.get(QUEUE).status_code == 403
    assert Client().get(QUEUE).status_code == 302


def test_accept_and_apply_corrects_the_entry_in_its_history_and_verifies_it(
    editor_client, editor, directory
):
    petition = directory.petition
    correction = correction_of(petition, email="reader@example.net")
    page = editor_client.get(change_url(correction)).content.decode()
    assert "reader@example.net" in page
    assert 'name="_accept_apply"' in page

    response = decide(
        editor_client,
        correction,
        "_accept_apply",
        applied_field="title_en",
        applied_value="Petition to the EU's health ministers",
    )

    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.title_en == "Petition to the EU's health ministers"
    assert petition.last_verified_on == timezone.localdate()
    assert petition.last_verified_by == editor
    assert petition.verification_method == Method.READER
    latest = petition.history.latest()
    assert latest.history_change_reason == f"Reader correction #{correction.pk}"
    assert latest.history_user == editor
    assert latest.title_en == petition.title_en
    correction.refresh_from_db()
    assert (correction.status, correction.applied) == (ReportStatus.ACCEPTED, True)
    assert correction.handled_by == editor
    public = Client().get(petition.get_absolute_url()).content.decode()
    assert "Petition to the EU&#x27;s health ministers" in public


def test_a_value_the_field_would_refuse_is_not_applied(editor_client, directory):
    petition = directory.petition
    correction = correction_of(petition, part="dates")
    before = petition.history.count()
    for field, value, error in [
        ("volunteers", "many", "Enter a whole number."),
        ("ended_on", "2019-01-01", "The end date cannot be before the start date."),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("", "anything", "Choose the field to correct."),
    ]:
        response = decide(
            editor_client, correction, "_accept_apply", applied_field=field, applied_value=value
        )
        assert response.status_code == 200, field
        assert error in response.content.decode(), field
    petition.refresh_from_db()
    assert petition.ended_on == datetime.date(2020, 4, 30)
    assert petition.history.count() == before
    correction.refresh_from_db()
    assert correction.status == ReportStatus.NEW


def test_a_correction_is_not_applied_over_an_edit_made_since_the_editor_opened_it(
    editor_client, directory
):
    petition = directory.petition
    correction = correction_of(petition)
    data = admin_form_data(
        editor_client.get(change_url(correction)),
        applied_field="summary_en",
        applied_value="From the reader.",
    )
    petition.summary_en = "From another editor, meanwhile."
    petition.save()

    response = editor_client.post(change_url(correction), {**data, "_accept_apply": "1"})

    assert response.status_code == 200
    assert "changed since you opened this correction" in response.content.decode()
    petition.refresh_from_db()
    assert petition.summary_en == "From another editor, meanwhile."
    # Sent again, knowingly, it goes through.
    again = admin_form_data(response, applied_field="summary_en", applied_value="From the reader.")
    assert (
        editor_client.post(change_url(correction), {**again, "_accept_apply": "1"}).status_code
        == 302
    )
    petition.refresh_from_db()
    assert petition.summary_en == "From the reader."


def test_a_facilitator_s_correction_applies_to_the_facilitator(editor_client, directory):
    lobby = directory.good_lobby
    correction = correction_of(lobby, part="links")
    decide(
        editor_client,
        correction,
        "_accept_apply",
        applied_field="website",
        applied_value="https://www.thegoodlobby.eu/",
    )
    lobby.refresh_from_db()
    assert lobby.website == "https://www.thegoodlobby.eu/"
    assert lobby.verification_method == Method.READER


def test_a_plain_accept_may_only_mark_the_entry_verified(editor_client, editor, directory):
    network = directory.global_network
    title_before = network.name
    correction = correction_of(network)
    assert decide(editor_client, correction, "_accept_verify").status_code == 302
    network.refresh_from_db()
    assert network.name == title_before
    assert (network.verification_method, network.last_verified_by) == (Method.READER, editor)
    assert network.history.latest().history_change_reason == f"Reader correction #{correction.pk}"
    correction.refresh_from_db()
    assert (correction.status, correction.applied) == (ReportStatus.ACCEPTED, False)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("accept", ReportStatus.ACCEPTED),
        ("reject", ReportStatus.REJECTED),
        ("mark_as_spam", ReportStatus.SPAM),
    ],
)
def test_the_list_s_actions_decide_on_several_at_once(
    editor_client, editor, directory, action, status
):
    reports = [correction_of(directory.petition), correction_of(directory.good_lobby)]
    response = editor_client.post(
        QUEUE, {"action": action, "_selected_action": [report.pk for report in reports]}
    )
    assert response.status_code == 302
    for report in reports:
        report.refresh_from_db()
        assert (report.status, report.handled_by) == (status, editor)
    directory.petition.refresh_from_db()
    assert directory.petition.verification_method != Method.READER


def test_the_accept_and_verify_action_verifies_each_entry(editor_client, directory):
    reports = [correction_of(directory.petition), correction_of(directory.good_lobby)]
    editor_client.post(
        QUEUE,
        {"action": "accept_and_verify", "_selected_action": [report.pk for report in reports]},
    )
    for entry in (directory.petition, directory.good_lobby):
        entry.refresh_from_db()
        assert entry.verification_method == Method.READER


def test_accepting_a_proposal_makes_a_draft_readers_cannot_see(editor_client, editor, directory):
    proposed = proposal(facilitator_website="https://thegoodlobby.eu/")

    response = decide(editor_client, proposed, "_accept_draft")

    draft = Initiative.objects.get(proposals=proposed)
    assert response["Location"] == reverse("admin:initiatives_initiative_change", args=[draft.pk])
    assert draft.status == Initiative.Status.DRAFT
    assert (draft.title_en, draft.kind) == ("Lawyers for tenants", "legal-advice")
    assert draft.summary_en == "Volunteer lawyers advised tenants facing eviction."
    assert draft.facilitator == directory.good_lobby  # found by its name
    assert draft.started_on == datetime.date(2021, 3, 1)
    assert sorted(draft.countries.values_list("code", flat=True)) == ["BE", "FR"]
    (source,) = draft.sources.all()  # the facilitator's own page is in the directory already
    assert (source.url, source.is_primary) == ("https://example.org/tenants", True)
    assert draft.history.latest().history_change_reason == f"Proposed by a reader (#{proposed.pk})"
    proposed.refresh_from_db()
    assert (proposed.status, proposed.handled_by) == (ReportStatus.ACCEPTED, editor)
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert "Lawyers for tenants" not in Client().get("/initiatives/").content.decode()


def test_a_french_proposal_becomes_a_french_draft_with_a_free_slug(editor_client, directory):
    proposed = proposal(title=directory.petition.title, language="fr", facilitator_name="Inconnue")
    decide(editor_client, proposed, "_accept_draft")
    draft = Initiative.objects.get(proposals=proposed)
    assert draft.title_fr == directory.petition.title
    assert draft.language == "fr"
    assert draft.slug != directory.petition.slug
    assert (draft.facilitator, draft.other_organisations) == (None, "Inconnue")


def test_editors_cannot_add_reports_and_visitors_cannot_decide(editor_client, directory):
    correction = correction_of(directory.petition)
    assert editor_client.get(reverse("admin:initiatives_correction_add")).status_code == 403
    visitor = Client()
    response = visitor.post(QUEUE, {"action": "reject", "_selected_action": [correction.pk]})
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == ReportStatus.NEW


def test_an_entry_with_a_new_correction_waits_in_the_re_verification_queue(directory):
    correction_of(directory.good_lobby)
    correction_of(directory.petition, status=ReportStatus.REJECTED)
    assert list(needing(Facilitator.objects.all(), "corrections")) == [directory.good_lobby]
    assert not needing(Initiative.objects.all(), "corrections").exists()


def test_a_correction_is_about_exactly_one_entry(directory):
    for targets in [{}, {"initiative": directory.petition, "network": directory.global_network}]:
        correction = Correction(part="name", problem="x", correction="y", **targets)
        with pytest.raises(ValidationError, match="about one initiative, facilitator or network"):
            correction.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            correction.save()
