import functools

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Count, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from networks.embed_partners import EmbedPartner  # noqa: F401 (a model of this app)
from probono.i18n import reverse_often
from probono.safe_edits import Revisioned
from probono.verification import Verified

FOUNDING_YEAR_VALIDATORS = [MinValueValidator(1800), MaxValueValidator(2100)]
WEB_LINK = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://.")
)


class WebLinks:
    """A model whose URL fields hold web pages only: URLField alone also takes ftp:// links."""

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.fields:
            value = getattr(self, field.attname)
            if not isinstance(field, models.URLField) or not value or field.name in errors:
                continue
            if field.name in (exclude or ()):
                continue
            try:
                WEB_LINK(value)
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)


class CountryQuerySet(models.QuerySet):
    def listed(self, initiative_counts):
        """Countries a reader can browse, those with a published initiative or a facilitator,
        by code, each with its `initiative_count` (given, {code: count}) and
        `facilitator_count`."""
        facilitators = dict(
            Country.facilitators.through.objects.values_list("country")
            .annotate(count=Count("*"))
            .order_by()
        )
        codes = {code for code, count in initiative_counts.items() if count} | facilitators.keys()
        countries = [Country(code=code) for code in sorted(codes)]
        for country in countries:
            country.initiative_count = initiative_counts.get(country.code, 0)
            country.facilitator_count = facilitators.get(country.code, 0)
        return countries


@functools.lru_cache(maxsize=1024)
def country_name(code, language):
    """The country's name in `language`, remembered: a list page names some hundred."""
    with override(language):
        return countries.name(code) or code


class Country(models.Model):
    """One row per ISO 3166-1 country, so that places are joined and counted, not substring-matched.

    Rows are created from django-countries by a data migration; names come from django-countries
    in the reader's language and are never stored.
    """

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        constraints = [
            # Codes are stored upper-case, as django-countries writes them.
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso"),
        ]

    def __str__(self):
        return str(self.name)

    def get_absolute_url(self):
        return reverse_often("country_detail", self.code.lower())

    @property
    def name(self):
        return country_name(self.code, get_language())


class NetworkQuerySet(models.QuerySet):
    def with_member_count(self):
        """Each with `member_count`: its current members, as its page counts them."""
        return self.annotate(
            member_count=Count("memberships", filter=current_membership("memberships__"))
        )


class Network(WebLinks, Verified, Revisioned):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True, validators=FOUNDING_YEAR_VALIDATORS
    )
    headquarters_country = CountryField(
        _("headquarters country"),
        blank=True,
        default="",
        help_text=_("Leave empty for a network without headquarters."),
    )
    headquarters_city = models.CharField(
        _("headquarters city"), max_length=100, blank=True, default=""
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network_detail", args=[self.slug])


class FacilitatorQuerySet(models.QuerySet):
    def in_country(self, code):
        """Working in the country of this ISO code, as stored (upper-case)."""
        return self.filter(countries=code)

    def named(self, text):
        """Whose name or acronym holds `text`, ignoring case."""
        text = text.strip()
        return self.filter(Q(name__icontains=text) | Q(acronym__icontains=text)) if text else self

    def current_members_of(self, network):
        """Still active and in `network`, not gone from it."""
        members = Membership.objects.current().filter(network=network)
        return self.filter(pk__in=members.values("facilitator"))

    def with_initiative_count(self):
        """Each with `initiative_count`: the published initiatives it leads or partners in, those
        its page lists, counted in the same query."""
        initiatives = apps.get_model("initiatives", "Initiative").objects.published()
        theirs = initiatives.filter(Q(facilitator=OuterRef("pk")) | Q(partners=OuterRef("pk")))
        count = Func("pk", function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
        return self.annotate(
            initiative_count=Coalesce(
                Subquery(theirs.order_by().annotate(count=count).values("count")), 0
            )
        )


class Facilitator(WebLinks, Verified, Revisioned):
    """An organisation whose trade is pro bono: it connects skilled volunteers with causes."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True, validators=FOUNDING_YEAR_VALIDATORS
    )
    headquarters_country = CountryField(_("headquarters country"), blank=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("countries of operation"),
        related_name="facilitators",
        blank=True,
    )
    networks = models.ManyToManyField(
        Network,
        through="Membership",
        verbose_name=_("networks"),
        related_name="facilitators",
        blank=True,
    )
    is_active = models.BooleanField(
        _("still active"),
        default=True,
        help_text=_("Untick when the organisation has closed; its record stays in the directory."),
    )
    closed_year = models.PositiveSmallIntegerField(
        _("year closed"), null=True, blank=True, validators=FOUNDING_YEAR_VALIDATORS
    )

    objects = FacilitatorQuerySet.as_manager()
    # Translated fields and history (of networks too) are registered in translation.py.

    class Meta:
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_year__isnull=True) | Q(is_active=False),
                name="facilitator_closed_means_inactive",
                violation_error_message=_("An organisation with a closing year cannot be active."),
            ),
            models.CheckConstraint(
                condition=Q(closed_year__isnull=True)
                | Q(founded_year__isnull=True)
                | Q(closed_year__gte=models.F("founded_year")),
                name="facilitator_closed_after_founded",
                violation_error_message=_("The closing year cannot be before the founding year."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("facilitator_detail", args=[self.slug])


def current_membership(through=""):
    """The memberships a network counts: of an organisation still active that has not left;
    `through` is the path to them ("memberships__" from a network)."""
    return Q(**{f"{through}left_year__isnull": True, f"{through}facilitator__is_active": True})


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(current_membership())


class Membership(WebLinks, models.Model):
    facilitator = models.ForeignKey(
        Facilitator, on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    joined_year = models.PositiveSmallIntegerField(
        _("year joined"), null=True, blank=True, validators=FOUNDING_YEAR_VALIDATORS
    )
    left_year = models.PositiveSmallIntegerField(
        _("year left"),
        null=True,
        blank=True,
        validators=FOUNDING_YEAR_VALIDATORS,
        help_text=_("Leave empty while it is a member."),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_("For editors: what the source says, when it leaves a year uncertain."),
    )
    source_url = models.URLField(
        _("source"),
        max_length=500,
        blank=True,
        default="",
        db_default="",
        help_text=_("The page that says it is, or was, a member."),
    )

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network__name", "facilitator__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "network"],
                name="membership_once_per_network",
                violation_error_message=_("This organisation is already a member of that network."),
            ),
            models.CheckConstraint(
                condition=Q(left_year__isnull=True)
                | Q(joined_year__isnull=True)
                | Q(left_year__gte=models.F("joined_year")),
                name="membership_left_after_joined",
                violation_error_message=_("The year it left cannot be before the year it joined."),
            ),
        ]

    def __str__(self):
        return f"{self.facilitator} in {self.network}"

    def clean(self):
        super().clean()
        if self.joined_year and self.left_year and self.left_year < self.joined_year:
            raise ValidationError(
                {"left_year": _("The year it left cannot be before the year it joined.")}
            )

    @property
    def is_current(self):
        """As current_membership() has it, for a membership already read."""
        return self.left_year is None and self.facilitator.is_active

    @property
    def ended_year(self):
        """The year it left; for an organisation that closed without leaving first, the year
        it closed."""
        if self.left_year or self.facilitator.is_active:
            return self.left_year
        return self.facilitator.closed_year

    @property
    def years(self):
        """ "member since 2017", "member 2013–2025", "former member": what is known of it."""
        joined, ended = self.joined_year, self.ended_year
        if self.is_current:
            return _("member since %(joined)s") % {"joined": joined} if joined else _("member")
        if joined and ended:
            if joined == ended:
                return _("member in %(year)s") % {"year": joined}
            return _("member %(joined)s–%(ended)s") % {"joined": joined, "ended": ended}
        if ended:
            return _("member until %(ended)s") % {"ended": ended}
        if joined:
            return _("former member, joined in %(joined)s") % {"joined": joined}
        return _("former member")
