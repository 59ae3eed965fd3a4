"""Where an initiative's facts come from: the pages an editor read, one of them the primary.

Named for what it is rather than for whose it is, so that facilitators and networks can have
sources too, and links can be checked, without a second model (issue 19).

Each source also carries what the link checker (`initiatives.link_checks`, docs/sources.md)
last found at its address, and its copy in the Wayback Machine: written by the checker with
QuerySet.update(), so that no check is an edit of the initiative or a line of its history.
"""

import datetime
from urllib.parse import urlsplit

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import WebLinks


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    LIVE = "live", _("Live")
    REDIRECTED = "redirected", _("Live, at another address")
    # Answered, but not with the page: 401, 403 or 429 (often a site turning robots away).
    REFUSED = "refused", _("Refused the checker")
    FAILING = "failing", _("Failing")
    DEAD = "dead", _("Dead")
    # The checker's own connection was down: nothing was learnt about the link.
    UNREACHABLE = "unreachable", _("Not checked: no connection")

    @classmethod
    def working(cls):
        return [cls.LIVE, cls.REDIRECTED]


# What the checker writes: no history is kept of it (HistoricalRecords' excluded_fields).
LINK_STATE = [
    "link_status",
    "http_status",
    "final_url",
    "last_error",
    "checked_at",
    "last_live_at",
    "failure_count",
    "first_failure_at",
    "last_failure_at",
    "next_check_at",
    "archive_url",
    "archived_at",
    "archive_checked_at",
    "capture_requested_at",
]


class SourceQuerySet(models.QuerySet):
    def due(self, now):
        """Sources to check now, those never checked first, then by when they fell due: a run
        cut short resumes where it stopped."""
        return self.filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)).order_by(
            F("next_check_at").asc(nulls_first=True), "pk"
        )

    def needing_capture(self):
        """Sources of published initiatives, found live, never sent to the Wayback Machine."""
        return self.filter(
            initiative__status="published",
            link_status__in=LinkStatus.working(),
            capture_requested_at__isnull=True,
        ).order_by("pk")

    def needing_lookup(self, now):
        """Sources whose archived copy to look for: never looked for; looked for in vain a week
        ago or more; or captured lately (a capture takes minutes to show), not seen since and
        not looked for in the last hour."""
        never = Q(archive_checked_at__isnull=True)
        in_vain = Q(archive_url="", archive_checked_at__lte=now - datetime.timedelta(days=7))
        captured = Q(
            capture_requested_at__lte=now - datetime.timedelta(minutes=30),
            capture_requested_at__gte=now - datetime.timedelta(days=2),
            archive_checked_at__lte=now - datetime.timedelta(minutes=50),
        ) & (Q(archived_at__isnull=True) | Q(archived_at__lt=F("capture_requested_at")))
        return self.filter(never | in_vain | captured).order_by(
            F("archive_checked_at").asc(nulls_first=True), "pk"
        )


class Source(WebLinks, models.Model):
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        verbose_name=_("initiative"),
        related_name="sources",
    )
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("As the page gives it; the site's name is shown when empty."),
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True, default="")
    published_on = models.DateField(
        _("published on"), null=True, blank=True, help_text=_("Leave empty when unknown.")
    )
    accessed_on = models.DateField(_("accessed on"))
    is_primary = models.BooleanField(
        _("primary"), default=False, help_text=_("The source most of the facts come from.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    link_status = models.CharField(
        _("link"),
        max_length=12,
        choices=LinkStatus,
        default=LinkStatus.UNCHECKED,
        db_default=LinkStatus.UNCHECKED,
    )
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(
        _("address after redirects"), max_length=2000, blank=True, default="", db_default=""
    )
    last_error = models.CharField(
        _("last error"), max_length=200, blank=True, default="", db_default=""
    )
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_live_at = models.DateTimeField(_("last found live"), null=True, blank=True)
    failure_count = models.PositiveSmallIntegerField(
        _("failures counted"),
        default=0,
        db_default=0,
        help_text=_("Failures at least three days apart; three make the link dead."),
    )
    first_failure_at = models.DateTimeField(_("first failure"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure counted"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    archive_url = models.URLField(
        _("archived copy"), max_length=2000, blank=True, default="", db_default=""
    )
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    archive_checked_at = models.DateTimeField(
        _("archived copy last looked for"), null=True, blank=True
    )
    capture_requested_at = models.DateTimeField(_("capture requested"), null=True, blank=True)

    objects = SourceQuerySet.as_manager()

    # Each change is kept, with who made it; the initiative's history page lists them. What the
    # link checker finds is not an edit.
    history = HistoricalRecords(excluded_fields=LINK_STATE)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["order", "pk"]
        indexes = [
            # check_sources: the sources due, by next_check_at (SourceQuerySet.due).
            models.Index(fields=["next_check_at"], name="source_next_check_idx"),
        ]
        constraints = [
            # The exports give one source address per initiative: the primary one.
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(is_primary=True),
                name="source_one_primary_per_initiative",
                violation_error_message=_("An initiative has only one primary source."),
            ),
            # A source is a web page a reader can open: never empty, never javascript: or ftp:.
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="source_url_is_web_link",
                violation_error_message=_("Enter a web address starting with http:// or https://."),
            ),
        ]

    def __str__(self):
        return self.title or self.site

    def save(self, *args, **kwargs):
        stored_url = getattr(self, "stored_url", None)
        if stored_url is None and self.pk is not None:
            # Built otherwise than from its row (a revert from the history): ask the row.
            stored = type(self)._base_manager.filter(pk=self.pk)
            stored_url = stored.values_list("url", flat=True).first()
        if stored_url is not None and stored_url != self.url:
            self.forget_link_state()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], *LINK_STATE}
        super().save(*args, **kwargs)
        self.stored_url = self.url

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Where the link state was found: an edit of the address starts it afresh (save()).
        instance.stored_url = instance.url if "url" in field_names else None
        return instance

    def forget_link_state(self):
        for name in LINK_STATE:
            setattr(self, name, self._meta.get_field(name).get_default())

    @property
    def is_dead(self):
        return self.link_status == LinkStatus.DEAD

    @property
    def site(self):
        """The host name without "www.": "thegoodlobby.eu"."""
        host = urlsplit(self.url).hostname or self.url
        return host.removeprefix("www.")
