"""What readers send: corrections to an entry, and initiatives they propose (issue 19).

Both wait in the admin's moderation queue (initiatives/moderation_admin.py), newest first among
the new ones; readers' emails are shown to staff only, and forgotten after RETENTION
(`manage.py forget_old_reports`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from networks.models import Country, Facilitator, Network, WebLinks

RETENTION = datetime.timedelta(days=365)
# Long enough for a paragraph with its context, short enough to read in the queue.
LONG_TEXT = 2000


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class ReportQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=ReportStatus.NEW)

    def older_than(self, moment):
        return self.filter(created_at__lt=moment)

    def to_forget(self, now=None):
        return self.older_than((now or timezone.now()) - RETENTION)


# The moderation queue's order: the new ones first, each group newest first.
NEW_FIRST = Case(When(status=ReportStatus.NEW, then=Value(0)), default=Value(1)).asc()


class Report(WebLinks, models.Model):
    """What corrections and proposals share: a status an editor sets, a reader's email, and
    links that are web pages only (WebLinks)."""

    email = models.EmailField(
        _("email for a reply"),
        max_length=254,
        blank=True,
        default="",
        help_text=_("Optional. Seen by the editors only, and forgotten after 12 months."),
    )
    language = models.CharField(
        _("language of the reader"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus,
        default=ReportStatus.NEW,
        db_default=ReportStatus.NEW,
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # only ever read from the report
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        abstract = True

    def handle(self, user, status):
        """Record the editor's decision; the caller saves."""
        self.status = status
        self.handled_by = user
        self.handled_at = timezone.now()


class Correction(Report):
    class Part(models.TextChoices):
        NAME = "name", _("Name or title")
        SUMMARY = "summary", _("Summary or description")
        ORGANISATIONS = "organisations", _("Who runs it")
        PLACES = "places", _("Countries or places")
        DATES = "dates", _("Dates")
        FIGURES = "figures", _("Figures")
        LINKS = "links", _("Website or sources")
        OTHER = "other", _("Something else")

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    facilitator = models.ForeignKey(
        Facilitator,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    part = models.CharField(_("what part is wrong"), max_length=20, choices=Part)
    problem = models.CharField(_("what is wrong"), max_length=LONG_TEXT)
    correction = models.CharField(_("the correct information"), max_length=LONG_TEXT)
    evidence_url = models.URLField(
        _("evidence link"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("A page that shows the correct information."),
    )
    # What the editor applies to the entry on accepting (CorrectionModerationForm).
    applied_field = models.CharField(_("field applied"), max_length=50, blank=True, default="")
    applied_value = models.CharField(
        _("value applied"), max_length=LONG_TEXT, blank=True, default=""
    )
    applied = models.BooleanField(_("applied to the entry"), default=False, db_default=False)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = [NEW_FIRST, "-created_at"]
        constraints = [
            # A correction is about one entry: an initiative, a facilitator or a network.
            models.CheckConstraint(
                condition=Q(
                    initiative__isnull=False, facilitator__isnull=True, network__isnull=True
                )
                | Q(initiative__isnull=True, facilitator__isnull=False, network__isnull=True)
                | Q(initiative__isnull=True, facilitator__isnull=True, network__isnull=False),
                name="correction_has_one_target",
                violation_error_message=_(
                    "A correction is about one initiative, facilitator or network."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="correction_status_known"
            ),
        ]
        indexes = [
            # The moderation queue and the header's count: the new ones.
            models.Index(fields=["status", "-created_at"], name="correction_queue"),
        ]

    def __str__(self):
        return _("Correction of “%(entry)s”") % {"entry": self.entry}

    @property
    def entry(self):
        return self.initiative or self.facilitator or self.network

    def clean(self):
        super().clean()
        targets = [self.initiative_id, self.facilitator_id, self.network_id]
        if sum(target is not None for target in targets) != 1:
            raise ValidationError(
                _("A correction is about one initiative, facilitator or network.")
            )


class Proposal(Report):
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences: who did what, for whom.")
    )
    description = models.CharField(_("more details"), max_length=LONG_TEXT, blank=True, default="")
    kind = models.CharField(
        _("kind of engagement"), max_length=40, choices=Initiative.Kind, blank=True, default=""
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="+", blank=True
    )
    source_url = models.URLField(
        _("source"), max_length=500, help_text=_("A page that describes the initiative.")
    )
    facilitator_name = models.CharField(
        _("organisation that ran it"), max_length=200, blank=True, default=""
    )
    facilitator_website = models.URLField(_("its website"), max_length=500, blank=True, default="")
    started_on = models.DateField(_("start date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    draft = models.ForeignKey(
        Initiative,
        verbose_name=_("draft made of it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )

    class Meta:
        verbose_name = _("proposed initiative")
        verbose_name_plural = _("proposed initiatives")
        ordering = [NEW_FIRST, "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="proposal_status_known"
            ),
        ]
        indexes = [
            # The moderation queue and the header's count: the new ones.
            models.Index(fields=["status", "-created_at"], name="proposal_queue"),
        ]

    def __str__(self):
        return self.title


class ModerationQueue:
    """How many corrections and proposals wait for an editor, and where to start."""

    def __init__(self, corrections, proposals):
        self.corrections, self.proposals = corrections, proposals
        self.count = corrections + proposals

    @property
    def url(self):
        model = "correction" if self.corrections or not self.proposals else "proposal"
        return reverse(f"admin:initiatives_{model}_changelist") + "?status__exact=new"


def moderation_queue(user):
    """The queue `user` may moderate, or None (staff who may not, or nobody logged in)."""
    if not (
        user.has_perm("initiatives.view_correction") and user.has_perm("initiatives.view_proposal")
    ):
        return None
    return ModerationQueue(Correction.objects.waiting().count(), Proposal.objects.waiting().count())
