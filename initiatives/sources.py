"""Where an initiative's facts come from: the pages an editor read, one of them the primary.

Named for what it is rather than for whose it is, so that facilitators and networks can have
sources too, and links can be checked, without a second model (issue 19).
"""

from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.models import WebLinks


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

    # Each change is kept, with who made it; the initiative's history page lists them.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["order", "pk"]
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

    @property
    def site(self):
        """The host name without "www.": "thegoodlobby.eu"."""
        host = urlsplit(self.url).hostname or self.url
        return host.removeprefix("www.")
