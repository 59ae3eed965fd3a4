"""Nobody's edit is overwritten silently: the second of two editors who opened the same entry
is told who changed what and when, keeps their input, and saves again knowingly; bulk actions,
imports and history reverts refuse entries changed since the editor saw them."""

import html
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from initiatives.models import Crisis, Initiative, Sector
from networks.models import Facilitator, Network
from probono.safe_edits import EditConflict
from tests.conftest import admin_form_data
from tests.test_admin_import_export import INITIATIVES, csv_text, import_file, preview
from tests.test_admin_import_export import confirm as confirm_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(db, django_user_model):
    """Two members of the Editors group, each logged in with a browser of their own."""
    group = Group.objects.get(name="Editors")
    clients = []
    for name in ("edith", "karim"):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", is_staff=True)
        user.groups.add(group)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def page(response):
    return html.unescape(response.content.decode())


def errors(response):
    return response.context["adminform"].form.non_field_errors()


# (model, how to make one, the field each editor changes, an admin label of that field)
ENTRIES = {
    "initiative": (Initiative, "summary_en", "summary [en]"),
    "facilitator": (Facilitator, "acronym", "acronym"),
    "network": (Network, "acronym", "acronym"),
    "sector": (Sector, "description_en", "description [en]"),
    "crisis": (Crisis, "description_en", "description [en]"),
}


@pytest.fixture(params=list(ENTRIES))
def entry(request, petition):
    model, field, label = ENTRIES[request.param]
    obj = {
        Initiative: petition,
        Facilitator: petition.facilitator,
        Network: Network.objects.first(),
        Sector: Sector.objects.get(slug="legal"),
        Crisis: petition.crisis,
    }[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    return obj, url, field, label


def test_the_second_editor_to_save_is_told_and_keeps_their_input(editors, entry):
    obj, url, field, label = entry
    edith, karim = editors
    edith_form = admin_form_data(edith.get(url), **{field: "Edith's version"})
    karim_form = admin_form_data(karim.get(url), **{field: "Karim's version"})

    assert edith.post(url, edith_form).status_code == 302
    refused = karim.post(url, karim_form)

    assert refused.status_code == 200
    message = " ".join(errors(refused))
    assert "changed since you opened it" in message
    assert f"edith changed {label} on " in message
    assert "Your changes are still in the form, not saved" in message
    assert message in page(refused)  # shown above the form, where the admin puts its errors
    assert "Karim's version" in page(refused)  # what Karim typed, to merge
    obj.refresh_from_db()
    assert getattr(obj, field) == "Edith's version"

    # Saving again, knowing, goes through.
    again = admin_form_data(refused, **{field: "Karim merged"})
    assert karim.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Karim merged"


def test_a_change_to_a_source_alone_is_named_to_the_second_editor(editors, petition):
    edith, karim = editors
    url = reverse("admin:initiatives_initiative_change", args=[petition.pk])
    edith_form = admin_form_data(edith.get(url), **{"sources-0-title": "Edith's title"})
    karim_form = admin_form_data(karim.get(url), **{"sources-0-title": "Karim's title"})

    assert edith.post(url, edith_form).status_code == 302
    refused = karim.post(url, karim_form)

    assert refused.status_code == 200
    assert "edith changed sources on " in " ".join(errors(refused))
    assert petition.sources.get().title == "Edith's title"


def test_an_editor_saving_twice_in_a_row_is_not_refused(editors, petition):
    edith, _karim = editors
    url = reverse("admin:initiatives_initiative_change", args=[petition.pk])
    for summary in ("First.", "Second."):
        assert (
            edith.post(url, admin_form_data(edith.get(url), summary_en=summary)).status_code == 302
        )
    petition.refresh_from_db()
    assert petition.summary_en == "Second."


def test_a_bulk_action_leaves_alone_the_rows_changed_since_the_list_was_opened(editors, directory):
    edith, karim = editors
    listing = edith.get(INITIATIVES)
    seen = page(listing).split('name="seen_revision" value="')[1:]
    assert len(seen) == Initiative.objects.count()

    karim_url = reverse("admin:initiatives_initiative_change", args=[directory.petition.pk])
    form = admin_form_data(karim.get(karim_url), title_en="A petition Karim retitled")
    assert karim.post(karim_url, form).status_code == 302

    published = list(Initiative.objects.published().values_list("pk", flat=True))
    data = {"action": "unpublish", "_selected_action": published}
    data["seen_revision"] = [value.split('"')[0] for value in seen]
    response = edith.post(INITIATIVES, data, follow=True)

    text = page(response)
    assert "Not unpublished: “A petition Karim retitled” changed since you opened the list." in text
    assert "karim changed title [en] on " in text
    assert f"Unpublished {len(published) - 1} initiatives" in text
    directory.petition.refresh_from_db()
    assert directory.petition.is_published
    assert Initiative.objects.published().count() == 1


def test_an_import_refuses_the_rows_changed_since_its_preview(editors, petition):
    edith, karim = editors
    row = {
        "slug": petition.slug,
        "title_en": petition.title,
        "summary_en": "Summary from Edith's file.",
        "kind": petition.kind,
        "countries": "BE",
    }
    previewed = preview(edith, INITIATIVES, csv_text(row))
    assert "confirm_form" in previewed.context

    url = reverse("admin:initiatives_initiative_change", args=[petition.pk])
    form = admin_form_data(karim.get(url), summary_en="Karim's summary.")
    assert karim.post(url, form).status_code == 302

    response = confirm_import(edith, INITIATIVES, previewed)
    text = page(response)
    assert "Nothing was imported." in text
    assert "This initiative changed since your preview. karim changed summary [en] on " in text
    petition.refresh_from_db()
    assert petition.summary_en == "Karim's summary."

    # Imported again, the file is previewed against Karim's version, then saved.
    import_file(edith, INITIATIVES, csv_text(row))
    petition.refresh_from_db()
    assert petition.summary_en == "Summary from Edith's file."


def test_an_import_refuses_a_row_whose_entry_someone_created_since_its_preview(editors):
    edith, karim = editors
    row = {
        "slug": "tenant-clinics",
        "title_en": "Clinics",
        "summary_en": "S.",
        "kind": "legal-advice",
    }
    row["countries"] = "BE"
    previewed = preview(edith, INITIATIVES, csv_text(row))
    karim_row = {**row, "title_en": "Karim's clinics"}
    import_file(karim, INITIATIVES, csv_text(karim_row))

    text = page(confirm_import(edith, INITIATIVES, previewed))
    assert "Someone else added “tenant-clinics” since your preview." in text
    assert Initiative.objects.get(slug="tenant-clinics").title == "Karim's clinics"


def test_a_history_revert_refuses_to_undo_an_edit_made_since_it_was_opened(editors, petition):
    edith, karim = editors
    with transaction.atomic():
        petition.summary_en = "The summary to go back from."
        petition.save()
    first = petition.history.earliest()
    revert_url = reverse(
        "admin:initiatives_initiative_simple_history", args=[petition.pk, first.pk]
    )
    revert = admin_form_data(edith.get(revert_url))

    url = reverse("admin:initiatives_initiative_change", args=[petition.pk])
    assert (
        karim.post(url, admin_form_data(karim.get(url), title_en="Karim's title")).status_code
        == 302
    )

    refused = edith.post(revert_url, revert)
    assert refused.status_code == 200
    assert "karim changed title [en] on " in " ".join(errors(refused))
    petition.refresh_from_db()
    assert petition.title == "Karim's title"


def test_a_save_from_a_stale_copy_raises_instead_of_overwriting(petition):
    stale = Initiative.objects.get(pk=petition.pk)
    fresh = Initiative.objects.get(pk=petition.pk)
    fresh.title = "Saved first"
    fresh.save()
    stale.title = "Saved second, from an older copy"
    with pytest.raises(EditConflict):
        stale.save()
    petition.refresh_from_db()
    assert petition.title == "Saved first"


def test_a_save_never_brings_back_a_deleted_entry(petition):
    stale = Initiative.objects.get(pk=petition.pk)
    Initiative.objects.filter(pk=petition.pk).delete()
    with pytest.raises(EditConflict):
        stale.save()
    assert not Initiative.objects.filter(pk=petition.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_editors_saving_at_the_same_moment_one_is_refused(petition):
    """Two real connections: both editors read the initiative, then save it at once, each in a
    transaction of its own. One save waits for the other's commit, then finds its revision
    taken."""
    both_read = threading.Barrier(2, timeout=10)
    outcomes = {}

    def edit(title):
        try:
            initiative = Initiative.objects.get(pk=petition.pk)
            both_read.wait()
            with transaction.atomic():
                initiative.title = title
                initiative.save()
            outcomes[title] = "saved"
        except EditConflict:
            outcomes[title] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(title,)) for title in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(title for title, outcome in outcomes.items() if outcome == "saved")
    petition.refresh_from_db()
    assert petition.title == winner
    assert petition.revision == 2


def test_marking_an_entry_verified_never_overwrites_an_editor_s_open_form(editors, petition):
    """One editor marks the initiative verified from the list while another has its form open:
    the form's save is refused, not silently undoing the verification."""
    edith, karim = editors
    url = reverse("admin:initiatives_initiative_change", args=[petition.pk])
    karim_form = admin_form_data(karim.get(url), summary_en="Karim's summary")
    changelist = reverse("admin:initiatives_initiative_changelist")
    edith.post(
        changelist,
        {
            "action": "mark_verified_sources",
            "_selected_action": [petition.pk],
            "seen_revision": [f"{petition.pk}:{petition.revision}"],
        },
    )
    refused = karim.post(url, karim_form)
    assert refused.status_code == 200
    assert "changed since you opened it" in " ".join(errors(refused))
    petition.refresh_from_db()
    assert petition.verification_method == "sources"
    assert petition.summary != "Karim's summary"
