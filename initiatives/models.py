import functools

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from initiatives.figures import ParticipantsUnit

# The facet index and the search indexes: models of this app, derived from initiatives.
from initiatives.indexes import (  # noqa: F401
    FacetIndexQueue,
    FacetIndexState,
    FacetSet,
    PublishedSearch,
    SearchIndex,
)
from initiatives.leases import Lease  # noqa: F401 (a model of this app)
from initiatives.querysets import InitiativeQuerySet
from initiatives.sources import Source  # noqa: F401 (a model of this app)
from networks.models import Country, Facilitator, Network, WebLinks
from probono.i18n import reverse_often
from probono.safe_edits import Revisioned
from probono.verification import Verified


class Sector(Revisioned):
    """A field of work, from a curated list: legal, mental health, civic tech..."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_often("sector_detail", self.slug)


class Crisis(Revisioned):
    """What an initiative responds to, such as the Covid-19 pandemic."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, default="")
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering = ["-started_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="crisis_ends_after_start",
                violation_error_message=_("A crisis cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name


class TaggedInitiative(TaggedItemBase):
    """A direct foreign key instead of taggit's generic relation, so tag joins use plain indexes."""

    content_object = models.ForeignKey("Initiative", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("tagged initiative")
        verbose_name_plural = _("tagged initiatives")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="initiative_tag_once"),
        ]
        # A tag filter reads its initiatives from the index alone.
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_initiative_by_tag")]


@functools.lru_cache(maxsize=8192)
def formatted_date(value, precision, language):
    """The date as precisely as it is known, in the active language, which `language` names for
    the cache: cards repeat a few thousand dates, and Django's date formatting is slow."""
    formats = {"day": "DATE_FORMAT", "month": "YEAR_MONTH_FORMAT", "year": "Y"}
    return date_format(value, formats[precision])


class Initiative(WebLinks, Verified, Revisioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Kind(models.TextChoices):
        SKILLS_BASED_VOLUNTEERING = "skills-based-volunteering", _("Skills-based volunteering")
        LEGAL_ADVICE = "legal-advice", _("Legal advice")
        PSYCHOLOGICAL_SUPPORT = "psychological-support", _("Psychological support")
        ADVOCACY_CAMPAIGN = "advocacy-campaign", _("Advocacy campaign")
        IN_KIND_PRODUCTION = "in-kind-production", _("In-kind production")
        HACKATHON = "hackathon", _("Hackathon")
        MATCHING_PLATFORM = "matching-platform", _("Matching platform")
        CAPACITY_BUILDING = "capacity-building", _("Capacity building")
        KNOWLEDGE_SHARING = "knowledge-sharing", _("Knowledge sharing")
        COALITION = "coalition", _("Coalition")
        CONVENING = "convening", _("Convening")
        AWARENESS_CAMPAIGN = "awareness-campaign", _("Awareness campaign")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

        def format(self, value):
            return formatted_date(value, self.value, translation.get_language())

    # Initiative.ParticipantsUnit, beside Initiative.Kind and Initiative.Status.
    ParticipantsUnit = ParticipantsUnit

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown in lists."),
    )
    description = models.TextField(_("description"), blank=True, default="")

    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.PROTECT,
        verbose_name=_("run by"),
        related_name="initiatives",
        null=True,
        blank=True,
        help_text=_("The facilitator that leads it, if it is in the directory."),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        verbose_name=_("run by network"),
        related_name="initiatives",
        null=True,
        blank=True,
        help_text=_("Set when a network as a whole runs it."),
    )
    partners = models.ManyToManyField(
        Facilitator,
        verbose_name=_("partner facilitators"),
        related_name="partner_initiatives",
        blank=True,
    )
    other_organisations = models.CharField(
        _("other organisations"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Organisers and partners that are not in the directory."),
    )

    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="initiatives", blank=True
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), related_name="initiatives", blank=True
    )
    crisis = models.ForeignKey(
        Crisis,
        on_delete=models.PROTECT,
        verbose_name=_("crisis"),
        related_name="initiatives",
        null=True,
        blank=True,
    )
    tags = TaggableManager(_("tags"), through=TaggedInitiative, blank=True)
    kind = models.CharField(_("kind of engagement"), max_length=40, choices=Kind, blank=True)

    started_on = models.DateField(_("start date"), null=True, blank=True)
    start_precision = models.CharField(
        _("start date precision"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    ended_on = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty while it is ongoing.")
    )
    end_precision = models.CharField(
        _("end date precision"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )

    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participants_unit = models.CharField(
        _("participants counted as"),
        max_length=20,
        choices=ParticipantsUnit,
        default=ParticipantsUnit.PARTICIPANTS,
        db_default=ParticipantsUnit.PARTICIPANTS,
        help_text=_("What the participants figure counts: 10,000 signatures, 330 registrations."),
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)
    figures_note = models.CharField(_("about the figures"), max_length=300, blank=True, default="")

    website = models.URLField(_("website"), blank=True, default="")
    language = models.CharField(
        _("language of the entry"),
        max_length=2,
        choices=[("en", _("English")), ("fr", _("French"))],
        default="en",
        help_text=_(
            "The language it was first written in; search stems its tags and organisation "
            "names by the rules of this language."
        ),
    )
    search_document = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(editable=False, null=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()
    # Translated fields and history (of sectors and crises too) are registered in translation.py;
    # sources keep a history of their own, which an edit conflict names too (safe_edits).
    history_parts = ["sources"]

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        permissions = [("publish_initiative", _("Can publish and unpublish initiatives"))]
        ordering = ["-started_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="initiative_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="initiative_status_known",
            ),
            # Network pages count an initiative once: either its network runs it or its lead.
            models.CheckConstraint(
                condition=Q(facilitator__isnull=True) | Q(network__isnull=True),
                name="initiative_run_by_facilitator_or_network",
                violation_error_message=_(
                    "An initiative is run either by a facilitator or by a network, not both."
                ),
            ),
        ]
        indexes = [
            # The latest published, on the home page and in the feed: no sort of them all.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                condition=Q(status="published"),
                name="initiative_published_latest",
            ),
            # The re-verification queue, oldest first, and the finder's "verified" filter.
            models.Index(fields=["last_verified_on"], name="initiative_last_verified"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        # The untranslated columns (title...) then hold the default language whatever language
        # the editor works in, so that SQL reading them, such as the title sort, stays stable.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("initiative_detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        initiative = super().from_db(db, field_names, values)
        # What readers could see before this instance is saved: unpublishing is a removal.
        initiative.stored_status = initiative.__dict__.get("status")
        return initiative

    def clean(self):
        super().clean()
        if not (self.title_en or self.title_fr):
            raise ValidationError({"title_en": _("Give a title in English or in French.")})
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})
        if self.facilitator_id and self.network_id:
            raise ValidationError(
                {
                    "network": _(
                        "An initiative is run either by a facilitator or by a network, not both."
                    )
                }
            )

    def missing_for_publication(self, countries=None, sources=None):
        """What a reader would miss if this were published now, {field: in an editor's words}:
        a draft needs only a title. `countries` and `sources` are the stored ones unless given
        (a form not saved yet); InitiativeQuerySet.missing_for_publication says it in SQL."""
        if countries is None:
            countries = self.countries.all() if self.pk else []
        if sources is None:
            sources = self.sources.all() if self.pk else []
        checks = [
            ("summary_en", self.summary_en or self.summary_fr, _("a summary")),
            ("kind", self.kind, _("a kind of engagement")),
            ("countries", countries, _("a country")),
            ("sources", sources, _("a source")),
            ("last_verified_on", self.last_verified_on, _("a “facts last verified on” date")),
        ]
        return {field: str(what) for field, present, what in checks if not present}

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def participants_figure(self):
        """ "10,000 signatures", in the active language; empty without a figure."""
        if self.participants is None:
            return ""
        return self.ParticipantsUnit(self.participants_unit).count(self.participants)

    @property
    def is_ongoing(self):
        """As the finder's status filter has it: no end date, or one still to come."""
        return self.ended_on is None or self.ended_on >= timezone.localdate()

    @property
    def period(self):
        """The dates as precisely as they are known: "20 March 2020 – 22 March 2020", "2020"."""
        start = self.started_on and self.DatePrecision(self.start_precision).format(self.started_on)
        end = self.ended_on and self.DatePrecision(self.end_precision).format(self.ended_on)
        if start and end:
            return start if start == end else f"{start} – {end}"
        if start:
            return _("since %(start)s") % {"start": start}
        return end or ""

    @property
    def years(self):
        """The period in years, for compact lists: "2020", "2020–2022", "since 2020"."""
        start = self.started_on and self.started_on.year
        end = self.ended_on and self.ended_on.year
        if start and end:
            return str(start) if start == end else f"{start}–{end}"
        if start:
            return _("since %(start)s") % {"start": start}
        return str(end or "")


# What readers send, about initiatives and the rest of the directory, and the alerts they
# follow: models of this app imported once Initiative exists.
from initiatives.alerts import Alert, Delivery, Subscriber  # noqa: E402, F401
from initiatives.corrections import Correction, Proposal  # noqa: E402, F401
