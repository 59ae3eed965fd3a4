"""Publication: a draft shows on no public page, search, facet, count, feed, sitemap, export or
JSON-LD block, and an unpublished initiative leaves them all on the next request, whatever the
cache."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from initiatives.filters import InitiativeFilter
from initiatives.models import Initiative, Proposal, Sector
from initiatives.moderation import make_draft
from networks.models import Facilitator
from tests.conftest import body_text, sitemap_pages, sitemap_text
from tests.directory import make_initiative

pytestmark = pytest.mark.django_db

MARK = "zqxleak"
# Sectors are a curated public list: this one's name may show, but never a count of the draft.
DRAFT_ONLY_SECTOR = "zqxsector"
TEXT_FIELDS = ["title", "summary", "description", "figures_note", "other_organisations"]


@pytest.fixture
def leaky_draft(seeded):
    """The seed content, and a draft whose every field, tag and country carries the marker."""
    sector = Sector.objects.create(name=f"Sector {DRAFT_ONLY_SECTOR}", slug=DRAFT_ONLY_SECTOR)
    texts = {}
    for field in TEXT_FIELDS:
        for suffix in ["", *(f"_{code}" for code in ("en", "fr"))]:
            if hasattr(Initiative, field + suffix):
                texts[field + suffix] = f"{field} {MARK}{suffix}"
    texts["title"] = f"Title {MARK}"
    return make_initiative(
        f"Title {MARK}",
        f"{MARK}-initiative",
        **{key: value for key, value in texts.items() if key != "title"},
        facilitator=Facilitator.objects.get(slug="pilnet"),
        # Iceland: no published initiative, no facilitator.
        countries=["IS"],
        sectors=[sector],
        tags=[f"{MARK} tag"],
        volunteers=987654,
        website=f"https://{MARK}-website.example/",
        sources=[f"https://{MARK}-source.example/report"],
        status=Initiative.Status.DRAFT,
    )


def public_urls(client):
    """Every page the sitemap lists, the lists in both languages, and every view the draft
    could be found through: its tag, sector, country and words as parameters, as pages, feeds
    and exports."""
    sitemap = sitemap_text(client)
    urls = [re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>(.*?)</loc>", sitemap)]
    urls += [
        "/sitemap.xml",
        *sitemap_pages(client),
        "/robots.txt",
        "/countries/is/",
        f"/sectors/{DRAFT_ONLY_SECTOR}/",
    ]
    for view in ["/initiatives/", "/initiatives/feed/", "/initiatives/export.csv"]:
        urls.append(view)
        urls.append(view.replace("export.csv", "export.json"))
        for parameter in [
            f"tag={MARK}-tag",
            f"sector={DRAFT_ONLY_SECTOR}",
            "country=is",
            f"q={MARK}",
            "q=987654",
            f"q={MARK}-website",
            "facilitator=pilnet",
        ]:
            urls.append(f"{view}?{parameter}")
            urls.append(f"/fr{view}?{parameter}")
    return sorted(set(urls))


def assert_no_trace(client, urls, skip=()):
    for url in urls:
        if url in skip:
            continue
        response = client.get(url)
        assert response.status_code in (200, 404), url
        # What the reader typed comes back in notices and titles; the draft must not.
        typed = re.findall(r"=([^&]+)", url)
        text = body_text(response)
        for value in typed:
            text = text.replace(value, "")
        assert MARK not in text, url
        finder = (response.context or {}).get("finder")
        if finder and DRAFT_ONLY_SECTOR in text:
            counts = [
                o.count for f in finder.facets for o in f.options if o.value == DRAFT_ONLY_SECTOR
            ]
            assert counts in ([], [0]), url
            if url.startswith(f"/sectors/{DRAFT_ONLY_SECTOR}/"):
                assert finder.count == 0, url


@pytest.mark.parametrize("how", ["admin action", "save"])
def test_unpublishing_takes_effect_on_the_next_request_whatever_the_cache(
    each_cache, directory, editor_client, how, django_capture_on_commit_callbacks
):
    reader = Client()
    petition = directory.petition
    title = petition.title
    urls = [
        "/initiatives/",
        "/initiatives/?country=be",
        petition.get_absolute_url(),
        "/initiatives/feed/",
        "/initiatives/export.csv",
        "/initiatives/export.json",
        "/sitemap-initiatives.xml",
    ]
    etags = {}
    for url in urls:
        reader.get(url)
        cached = reader.get(url)
        assert title in body_text(cached) or petition.slug in body_text(cached), url
        etags[url] = cached.get("ETag")
    assert etags["/initiatives/"]
    assert etags[petition.get_absolute_url()]

    with django_capture_on_commit_callbacks(execute=True):  # the editor's commit
        if how == "admin action":
            response = editor_client.post(
                reverse("admin:initiatives_initiative_changelist"),
                {"action": "unpublish", "_selected_action": [petition.pk]},
            )
            assert response.status_code == 302
        else:
            petition.status = Initiative.Status.DRAFT
            petition.save()

    for url in urls:
        response = reader.get(url, headers={"If-None-Match": etags[url] or ""})
        assert response.status_code != 304, url
        if url == petition.get_absolute_url():
            assert response.status_code == 404
        else:
            assert response.status_code == 200, url
            assert petition.slug not in body_text(response), url
        assert title not in body_text(response), url


@pytest.mark.usefixtures("seed_loaded_once_per_class")
class TestADraftInTheSeedContent:
    """The seed content with a draft whose every field carries the marker (`leaky_draft`)."""

    def test_no_public_url_shows_a_trace_of_a_draft_to_a_reader(self, client, leaky_draft):
        urls = public_urls(client)
        assert len(urls) > 150
        assert_no_trace(client, urls)
        assert client.get(leaky_draft.get_absolute_url()).status_code == 404

    def test_the_draft_s_tag_country_and_sector_count_nothing(self, client, leaky_draft):
        finder = client.get("/initiatives/").context["finder"]
        options = {facet.name: {o.value: o for o in facet.options} for facet in finder.facets}
        assert f"{MARK}-tag" not in options["tag"]
        assert "is" not in options["country"]
        # A sector with no published initiative is left out of the facet, as any empty option.
        assert DRAFT_ONLY_SECTOR not in options["sector"]
        sectors = {s.slug: s.initiative_count for s in client.get("/sectors/").context["sectors"]}
        assert sectors[DRAFT_ONLY_SECTOR] == 0
        assert "IS" not in [c.code for c in client.get("/countries/").context["countries"]]
        pilnet = client.get("/facilitators/pilnet/").context["finder"]
        assert leaky_draft not in pilnet.page.object_list
        home = client.get("/").context["counts"]
        assert home["initiatives"] == Initiative.objects.published().count()

    @pytest.mark.parametrize("permissions", [[], ["view_initiative", "change_initiative"]])
    def test_staff_who_may_not_publish_see_no_trace_of_a_draft_outside_its_preview(
        self, client, leaky_draft, django_user_model, permissions
    ):
        staff = django_user_model.objects.create_user("stan", is_staff=True)
        staff.user_permissions.set(Permission.objects.filter(codename__in=permissions))
        client.force_login(staff)
        preview = leaky_draft.get_absolute_url()
        # Other entries' pages list no initiative; the French pages are the same views.
        urls = [
            url
            for url in public_urls(client)
            if not url.startswith("/fr/") and not re.match(r"/initiatives/[\w-]+/$", url)
        ]
        assert_no_trace(client, urls, skip=[preview])
        response = client.get(preview)
        if permissions:
            # Anyone who may view drafts in the admin may preview them, privately and unindexed.
            assert response.status_code == 200
            assert response["Cache-Control"] == "private, no-store"
            assert '<meta name="robots" content="noindex">' in body_text(response)
        else:
            assert response.status_code == 404

    def test_the_api_and_its_dumps_show_no_trace_of_a_draft(
        self, client, leaky_draft, settings, tmp_path
    ):
        """The API's lists, facets, vocabularies and dumps, through every parameter the draft
        could be found by: a 200 without it or a 400 that names only what was typed."""
        settings.DUMP_DIR = tmp_path
        call_command("build_dump", stdout=io.StringIO())
        every_facet = "facets=" + ",".join(InitiativeFilter.finder_filters())
        urls = [
            "/api/v1/initiatives/?per_page=100&" + every_facet,
            f"/api/v1/initiatives/{leaky_draft.slug}/",
            "/api/v1/tags/?per_page=100",
            "/api/v1/countries/?per_page=100",
            "/api/v1/countries/is/",
            "/api/v1/facilitators/pilnet/",
            "/api/v1/sectors/?per_page=100",
            "/api/v1/dump.json",
            "/api/v1/dump.csv",
        ]
        for parameter in [f"tag={MARK}-tag", "country=is", f"q={MARK}", "q=987654"]:
            urls.append(f"/api/v1/initiatives/?{parameter}&{every_facet}")
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 400, 404), url
            typed = re.findall(r"=([^&]+)", url)
            text = body_text(response)
            for value in typed:
                text = text.replace(value, "")
            assert MARK not in text, url
        assert client.get(f"/api/v1/initiatives/{leaky_draft.slug}/").status_code == 404
        facets = client.get("/api/v1/initiatives/?" + every_facet).json()["facets"]
        counted = {
            name: {o["value"]: o["count"] for o in options} for name, options in facets.items()
        }
        assert counted["sector"].get(DRAFT_ONLY_SECTOR, 0) == 0
        assert "is" not in counted["country"]
        # Every count as the finder's page gives it, which counts no draft (the test above).
        finder = client.get("/initiatives/").context["finder"]
        page = {f.name: {o.value: o.count for o in f.options} for f in finder.facets}
        assert {name: counted[name] for name in page} == page

    def test_a_draft_made_of_a_reader_s_proposal_shows_nowhere(self, client, editor):
        proposal = Proposal.objects.create(
            title=f"Proposed {MARK}",
            summary=f"Summary {MARK}",
            kind=Initiative.Kind.LEGAL_ADVICE,
            source_url=f"https://{MARK}-proposal.example/",
            facilitator_name="PILnet",
            email=f"reader-{MARK}@example.net",
        )
        proposal.countries.set(["IS"])
        draft = make_draft(proposal, editor)
        assert draft.status == Initiative.Status.DRAFT
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(draft.get_absolute_url() + "report/").status_code == 404
        assert_no_trace(client, public_urls(client))
