"""Email alerts for a view of the finder (docs/alerts.md): a reader's address, the views they
follow, and each email sent or being sent.

An address is kept only while it has an alert: deleting its last alert deletes it. An alert
nobody confirmed is deleted after UNCONFIRMED_FOR, by `send_alerts` or `forget_old_reports`.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNCONFIRMED_FOR = datetime.timedelta(days=7)
# The finder's canonical query strings stay far below this; a longer one is no view.
QUERY_LENGTH = 2000
CONFIRM_SALT = "initiatives.alerts.confirm"
UNSUBSCRIBE_SALT = "initiatives.alerts.unsubscribe"
MANAGE_SALT = "initiatives.alerts.manage"


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Subscriber(models.Model):
    """An address that follows at least one view (or asked to, and has not confirmed yet)."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert subscriber")
        verbose_name_plural = _("alert subscribers")

    def __str__(self):
        return self.email

    @property
    def manage_token(self):
        return signing.dumps(self.pk, salt=MANAGE_SALT)

    def forget_if_unused(self):
        """Delete the address once no alert needs it."""
        if not self.alerts.exists():
            self.delete()


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def expired(self, now=None):
        """Alerts nobody confirmed within UNCONFIRMED_FOR."""
        moment = (now or timezone.now()) - UNCONFIRMED_FOR
        return self.filter(confirmed_at__isnull=True, requested_at__lt=moment)

    def due(self, frequency, period):
        """Confirmed alerts of this frequency that have no email for this period yet."""
        return self.confirmed().filter(frequency=frequency).exclude(deliveries__period=period)

    def forget_expired(self, now=None):
        """Delete the expired alerts, and the addresses they leave unused; their count."""
        with transaction.atomic():
            expired = self.expired(now)
            subscribers = list(expired.values_list("subscriber", flat=True).distinct())
            count, _ = expired.delete()
            Subscriber.objects.filter(pk__in=subscribers, alerts__isnull=True).delete()
        return count


class Alert(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("address"), on_delete=models.CASCADE, related_name="alerts"
    )
    # The finder's canonical query string, without its "?": "" for every initiative.
    query = models.CharField(_("view"), max_length=QUERY_LENGTH, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    requested_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Initiatives first published after this are news for the next email.
    sent_up_to = models.DateTimeField(_("sent up to"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "query"], name="alert_once_per_view"),
            models.CheckConstraint(
                condition=models.Q(frequency__in=Frequency.values), name="alert_frequency_known"
            ),
        ]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="alert_due")]

    def __str__(self):
        return f"?{self.query}" if self.query else "all"

    @property
    def unsubscribe_token(self):
        return signing.dumps(self.pk, salt=UNSUBSCRIBE_SALT)

    def confirm_token(self, frequency, language):
        return signing.dumps([self.pk, frequency, language], salt=CONFIRM_SALT)

    def confirm(self, frequency, language, now=None):
        """Start (or change) the alert; news count from its first confirmation on."""
        now = now or timezone.now()
        self.frequency, self.language = frequency, language
        self.confirmed_at = self.confirmed_at or now
        self.sent_up_to = self.sent_up_to or now
        self.save(update_fields=["frequency", "language", "confirmed_at", "sent_up_to"])

    def unsubscribe(self):
        """Delete the alert, and the address with it when it was its last one."""
        with transaction.atomic():
            subscriber = self.subscriber
            self.delete()
            subscriber.forget_if_unused()


def request_alert(email, query, frequency, language):
    """The alert `email` asks for, created unconfirmed if new. A confirmed one is left as it
    is until the reader confirms the change from the email."""
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=email.strip().lower())
        alert, created = Alert.objects.get_or_create(
            subscriber=subscriber,
            query=query,
            defaults={"frequency": frequency, "language": language},
        )
        if not created and alert.confirmed_at is None:
            alert.frequency, alert.language = frequency, language
            alert.requested_at = timezone.now()
            alert.save(update_fields=["frequency", "language", "requested_at"])
    return alert


def signed(token, salt, max_age=None):
    """What `token` signed, or None if it is not one of ours, was altered, or expired
    (signing.SignatureExpired is a BadSignature)."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


class Delivery(models.Model):
    """One email of an alert for one period ("2026-12-06", "2026-W49"), claimed before it is
    sent: unique per alert and period, so that no run sends it twice (docs/alerts.md)."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, to retry")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    period = models.CharField(max_length=10)
    since = models.DateTimeField()
    up_to = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alert email")
        verbose_name_plural = _("alert emails")
        constraints = [
            models.UniqueConstraint(fields=["alert", "period"], name="alert_delivery_once"),
        ]
        indexes = [models.Index(fields=["status"], name="alert_delivery_status")]

    def __str__(self):
        return f"{self.alert_id} {self.period}"
