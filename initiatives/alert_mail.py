"""The alerts' emails: the confirmation a reader asks for, and the news of each view
(`manage.py send_alerts`, docs/alerts.md).

Each email is claimed before it is sent: a Delivery row, unique per alert and period, committed
with the alert's cursor moved on. A second run, or one running beside it, finds the claim and
sends nothing; an SMTP error marks the claim failed, and the next run sends it again. A crash
between the SMTP server's acceptance and the claim's "sent" leaves it "sending", never sent
again: at most once.
"""

import dataclasses
import datetime
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from initiatives.alerts import UNCONFIRMED_FOR, Alert, Delivery, Frequency
from initiatives.finder import Finder

# An initiative is stamped published_at before its transaction commits: news up to a few
# minutes ago only, so that none committed late falls behind a cursor already past it.
SETTLE = datetime.timedelta(minutes=5)
# An email lists at most this many; the link to the view shows the rest.
LISTED = 50
SENDING_ERRORS = (smtplib.SMTPException, OSError)
# An email refused this many times (an address that no longer exists) is not tried again.
MAX_ATTEMPTS = 5


def view_of(query):
    """The finder over the alert's view (in the active language), as its page would read it."""
    request = HttpRequest()
    request.GET = QueryDict(query)
    request.path = reverse("initiative_list")
    return Finder(request)


def absolute(path):
    return settings.SITE_URL + path


def site_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def send_confirmation(alert, frequency, language):
    """The email with the link that confirms `alert` at this frequency, in `language`."""
    with translation.override(language):
        finder = view_of(alert.query)
        token = alert.confirm_token(frequency, language)
        context = {
            "title": finder.title,
            "frequency": str(Frequency(frequency).label).lower(),
            "confirm_url": absolute(reverse("alert_confirm", args=[token])),
            "view_url": absolute(reverse("initiative_list") + finder.query.querystring()),
            "days": UNCONFIRMED_FOR.days,
        }
        subject = _("Confirm your alert: %(title)s") % {"title": finder.title}
        body = render_to_string("emails/alert_confirm.txt", context)
    message = EmailMultiAlternatives(
        settings.EMAIL_SUBJECT_PREFIX + subject, body, to=[alert.subscriber.email]
    )
    message.send()


def period_of(frequency, now):
    day = timezone.localdate(now)
    if frequency == Frequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


@dataclasses.dataclass
class Summary:
    sent: int = 0
    failed: int = 0
    nothing_new: int = 0
    taken: int = 0  # claimed by another run, or already sent this period

    def __str__(self):
        return (
            f"Sent {self.sent} alert emails; {self.failed} failed (retried next run); "
            f"{self.nothing_new} alerts had nothing new; {self.taken} already sent or taken "
            "by another run."
        )


def send_alerts(frequency, now=None, progress=None):
    """Send every email of this frequency due now, and again those that failed."""
    now = now or timezone.now()
    period = period_of(frequency, now)
    summary = Summary()
    failed = Delivery.objects.filter(
        status=Delivery.Status.FAILED, alert__frequency=frequency, attempts__lt=MAX_ATTEMPTS
    )
    for delivery_id in list(failed.values_list("pk", flat=True)):
        # Only one run turns it back to "sending", and sends it.
        retried = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.FAILED)
        if retried.update(status=Delivery.Status.SENDING):
            delivery = Delivery.objects.select_related("alert__subscriber").get(pk=delivery_id)
            deliver(delivery, summary)
    due = list(Alert.objects.due(frequency, period).values_list("pk", flat=True))
    for number, alert_id in enumerate(due, start=1):
        delivery = claim(alert_id, period, now - SETTLE, summary)
        if delivery is not None:
            deliver(delivery, summary)
        if progress and number % 100 == 0:
            progress(f"{number} of {len(due)} alerts looked at: {summary}")
    return summary


def claim(alert_id, period, up_to, summary):
    """The Delivery of this alert for this period, committed with the alert's cursor moved to
    `up_to`; None when another run holds or sent it, or nothing is new."""
    with transaction.atomic():
        # PostgreSQL: a run passes over an alert another one is claiming, rather than wait.
        alert = (
            Alert.objects.select_for_update(skip_locked=True)
            .confirmed()
            .select_related("subscriber")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None or alert.deliveries.filter(period=period).exists():
            summary.taken += 1
            return None
        with translation.override(alert.language):
            news = new_initiatives(view_of(alert.query), alert.sent_up_to, up_to)
        if not news.exists():
            summary.nothing_new += 1
            return None
        delivery = Delivery.objects.create(
            alert=alert, period=period, since=alert.sent_up_to, up_to=up_to
        )
        alert.sent_up_to = up_to
        alert.save(update_fields=["sent_up_to"])
    return delivery


def new_initiatives(finder, since, up_to):
    """The view's published initiatives first published in (since, up_to], newest first."""
    published = finder.filterset.qs.filter(published_at__gt=since, published_at__lte=up_to)
    return published.order_by("-published_at", "pk")


def deliver(delivery, summary):
    message = alert_message(delivery)
    if message is not None:
        try:
            message.send()
        except SENDING_ERRORS:
            delivery.status = Delivery.Status.FAILED
            delivery.attempts += 1
            delivery.save(update_fields=["status", "attempts", "updated_at"])
            summary.failed += 1
            return
        summary.sent += 1
    delivery.status = Delivery.Status.SENT
    delivery.attempts += 1
    delivery.save(update_fields=["status", "attempts", "updated_at"])


def alert_message(delivery):
    """The email of this delivery, in its alert's language; None if its news were all
    unpublished since."""
    alert = delivery.alert
    with translation.override(alert.language):
        finder = view_of(alert.query)
        news = new_initiatives(finder, delivery.since, delivery.up_to)
        initiatives = list(news[:LISTED])
        if not initiatives:
            return None
        unsubscribe_url = absolute(reverse("alert_unsubscribe", args=[alert.unsubscribe_token]))
        context = {
            "title": finder.title,
            "initiatives": [
                (initiative, absolute(initiative.get_absolute_url())) for initiative in initiatives
            ],
            "more": news.count() - len(initiatives) if len(initiatives) == LISTED else 0,
            "view_url": absolute(reverse("initiative_list") + finder.query.querystring()),
            "unsubscribe_url": unsubscribe_url,
            "manage_url": absolute(reverse("alert_manage", args=[alert.subscriber.manage_token])),
            "frequency": alert.get_frequency_display(),
            "language": alert.language,
        }
        subject = _("New: %(title)s") % {"title": finder.title}
        text = render_to_string("emails/alert.txt", context)
        html = render_to_string("emails/alert.html", context)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # The same for every attempt at this email: a receiver that got it once can tell.
        "Message-ID": f"<alert-{alert.pk}-{delivery.period}@{site_domain()}>",
    }
    message = EmailMultiAlternatives(
        settings.EMAIL_SUBJECT_PREFIX + subject,
        text,
        to=[alert.subscriber.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
