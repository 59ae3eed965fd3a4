"""When an entry's facts were last checked, by whom and how: apart from when it was last edited,
since an edit is not a check (Open Referral's "assured date").

Initiatives, facilitators and networks share these fields (`Verified`). An entry not verified for
12 months is due: its public page says so, the finder can leave it out
(`?verified=12m`) and the admin's re-verification queue lists it, oldest first.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    SOURCES = "sources", _("sources checked")
    ORGANISATION = "organisation", _("confirmed by the organisation")
    READER = "reader", _("reader correction")


def a_year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def due_day(today=None):
    """Entries last verified before this day, 12 months ago, are due for verification."""
    return a_year_before(today or timezone.localdate())


def due_for_verification(day=None):
    """Never verified, or last verified before `day` (12 months ago by default)."""
    day = day or due_day()
    return Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=day)


class Verified(models.Model):
    last_verified_on = models.DateField(
        _("facts last verified on"),
        null=True,
        blank=True,
        help_text=_(
            "The day someone last checked the facts against their sources; an edit does not "
            "change it. “Today” sets it in one click."
        ),
    )
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # only ever read from the entry; deleting a user is rare
    )
    verification_method = models.CharField(
        _("verified how"), max_length=12, choices=Method, blank=True, default="", db_default=""
    )

    class Meta:
        abstract = True

    @property
    def verification_overdue(self):
        """Never verified, or not for 12 months: the public page says so."""
        return self.last_verified_on is None or self.last_verified_on < due_day()

    def verify(self, user, method, day=None):
        """Record a check of the facts made today (or on `day`); the caller saves."""
        self.last_verified_on = day or timezone.localdate()
        self.last_verified_by = user
        self.verification_method = method
