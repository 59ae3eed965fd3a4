"""What the API says of each kind of entry. Text comes in English, or in French where an entry
has no English; each entry's page is named in both languages."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from initiatives.models import Crisis, Sector
from networks.models import Facilitator, Network

PAGE_URLS = {
    "type": "object",
    "description": "The entry's page on the directory, in each language.",
    "properties": {"en": {"type": "string", "format": "uri"}, "fr": {"type": "string"}},
}


def page_urls(base, path):
    """{"en": …, "fr": …}: the address of an English path and of its French twin, on the site
    at `base` ("https://host", the request's or settings.SITE_URL for the dumps)."""
    return {"en": base + path, "fr": f"{base}/fr{path}"}


def english_path(viewname, *args, query=""):
    with translation.override("en"):
        return reverse(viewname, args=args) + query


def with_modified(queryset):
    """Each row's `modified`: when its history last recorded a save."""
    history = queryset.model.history.model.objects.filter(id=OuterRef("pk"))
    latest = history.order_by("-history_date").values("history_date")[:1]
    return queryset.annotate(modified=Subquery(latest))


class PageUrls(serializers.Field):
    """The page of the row, from `page_path(row)` on the serializer."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row):
        return page_urls(self.context["base"], self.parent.page_path(row))


PageUrls = extend_schema_field(PAGE_URLS)(PageUrls)


class InitiativeSerializer(serializers.Serializer):
    """An initiative, from the row the exports write (initiatives.exports.row)."""

    id = serializers.CharField(source="slug", help_text="The initiative's slug: stable.")
    title = serializers.CharField()
    summary = serializers.CharField()
    url = PageUrls()
    countries = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166 codes.")
    sectors = serializers.ListField(child=serializers.CharField(), help_text="Sector ids.")
    facilitator = serializers.CharField(allow_null=True, help_text="The facilitator's id.")
    partners = serializers.ListField(child=serializers.CharField(), help_text="Facilitator ids.")
    network = serializers.CharField(allow_null=True, help_text="The network's id.")
    other_organisations = serializers.CharField()
    crisis = serializers.CharField(allow_null=True, help_text="The crisis's id.")
    kind = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    volunteers = serializers.IntegerField(allow_null=True)
    participants = serializers.IntegerField(allow_null=True)
    participants_unit = serializers.CharField(allow_null=True)
    beneficiaries = serializers.IntegerField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(), help_text="Tag names.")
    website = serializers.CharField()
    primary_source_url = serializers.CharField(allow_null=True)
    source_count = serializers.IntegerField()
    published = serializers.DateTimeField(allow_null=True, help_text="First published.")
    modified = serializers.DateTimeField()
    last_verified = serializers.DateField(source="last_verified_on", allow_null=True)

    def page_path(self, row):
        return english_path("initiative_detail", row["slug"])


class EntrySerializer(serializers.ModelSerializer):
    """A row of a model with a slug and a page of its own."""

    id = serializers.CharField(source="slug", read_only=True)
    url = PageUrls()
    modified = serializers.DateTimeField(read_only=True, allow_null=True)

    def page_path(self, row):
        with translation.override("en"):
            return row.get_absolute_url()


class VerifiedEntrySerializer(EntrySerializer):
    last_verified = serializers.DateField(source="last_verified_on", read_only=True)


class FacilitatorSerializer(VerifiedEntrySerializer):
    countries = serializers.SerializerMethodField()
    networks = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Facilitator
        fields = [
            "id",
            "name",
            "acronym",
            "description",
            "website",
            "city",
            "countries",
            "networks",
            "founded_year",
            "is_active",
            "closed_year",
            "url",
            "modified",
            "last_verified",
        ]

    def get_countries(self, facilitator) -> list[str]:
        return sorted(country.code.lower() for country in facilitator.countries.all())


class NetworkSerializer(VerifiedEntrySerializer):
    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "acronym",
            "description",
            "website",
            "founded_year",
            "headquarters_city",
            "url",
            "modified",
            "last_verified",
        ]


class SectorSerializer(EntrySerializer):
    class Meta:
        model = Sector
        fields = ["id", "name", "description", "url", "modified"]


class CrisisSerializer(EntrySerializer):
    """A crisis has no page of its own: its url is the finder's view of it."""

    class Meta:
        model = Crisis
        fields = ["id", "name", "description", "started_on", "ended_on", "url", "modified"]

    def page_path(self, row):
        return english_path("initiative_list", query=f"?crisis={row.slug}")


class TagSerializer(serializers.Serializer):
    id = serializers.CharField(source="slug")
    name = serializers.CharField()
    url = PageUrls()

    def page_path(self, row):
        return english_path("initiative_list", query=f"?tag={row.slug}")


class CountrySerializer(serializers.Serializer):
    id = serializers.SerializerMethodField(help_text="The ISO 3166 code, lower-case.")
    name = serializers.SerializerMethodField()
    initiative_count = serializers.IntegerField(help_text="Published initiatives.")
    facilitator_count = serializers.IntegerField()
    url = PageUrls()

    def get_id(self, country) -> str:
        return country.code.lower()

    def get_name(self, country) -> str:
        with translation.override("en"):
            return str(country.name)

    def page_path(self, row):
        return english_path("country_detail", row.code.lower())


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()
