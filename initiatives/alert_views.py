"""The alerts' pages: ask for one (the readers' form, with its traps for robots), the link that
confirms it, and the links that stop it (docs/alerts.md).

The finder's pages are cached and set no cookie, so they only link here: these pages are
private (never_cache), like the readers' other forms. The links from emails carry a signed
token; the one-click unsubscription (RFC 8058) is a POST without cookies, so without CSRF.
"""

import logging

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from initiatives.alert_mail import SENDING_ERRORS, send_confirmation, view_of
from initiatives.alerts import (
    CONFIRM_SALT,
    MANAGE_SALT,
    QUERY_LENGTH,
    UNCONFIRMED_FOR,
    UNSUBSCRIBE_SALT,
    Alert,
    Frequency,
    Subscriber,
    request_alert,
    signed,
)
from initiatives.finder import Finder
from initiatives.report_forms import ReaderForm
from initiatives.reports import posted, reader_form

logger = logging.getLogger(__name__)


class AlertForm(ReaderForm):
    email = forms.EmailField(label=_("Your email"), max_length=254)

    class Meta:
        model = Alert
        fields = ["frequency"]
        labels = {"frequency": _("How often?")}
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args, view, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view
        self.fields["frequency"].choices = Frequency.choices
        self.fields["frequency"].initial = Frequency.WEEKLY

    def clean(self):
        if len(self.view) > QUERY_LENGTH:
            raise forms.ValidationError(
                _("This view has too many filters to follow: remove some, then ask again."),
                code="too_long",
            )
        return super().clean()

    def save(self, commit=True):
        """Store the alert unconfirmed and email the link that confirms it; the same answer
        whether the address already follows this view or not."""
        frequency, language = self.cleaned_data["frequency"], get_language()
        alert = request_alert(self.cleaned_data["email"], self.view, frequency, language)
        send_confirmation(alert, frequency, language)
        return alert


@never_cache
def new_alert(request):
    finder = Finder(request)
    form = AlertForm(posted(request), view=finder.view_querystring().lstrip("?"))
    context = {"finder": finder, "notices": finder.query.notices}
    try:
        return reader_form(
            request, form, "alerts/new.html", context, limit="alerts", done="alert_sent"
        )
    except SENDING_ERRORS:
        logger.exception("The confirmation of an alert could not be sent.")
        context = {**context, "form": form, "not_sent": True}
        return render(request, "alerts/new.html", context, status=503)


def alert_sent(request):
    return render(request, "alerts/sent.html", {"days": UNCONFIRMED_FOR.days})


def bad_link(request):
    return render(request, "alerts/bad_link.html", status=404)


@never_cache
def confirm_alert(request, signed_value):
    """GET shows a button: mail scanners that open links confirm nothing. POST confirms."""
    value = signed(signed_value, CONFIRM_SALT, max_age=UNCONFIRMED_FOR)
    if not (isinstance(value, list) and len(value) == 3):
        return bad_link(request)
    alert_id, frequency, language = value
    alert = Alert.objects.select_related("subscriber").filter(pk=alert_id).first()
    languages = dict(settings.LANGUAGES)
    if alert is None or frequency not in Frequency.values or language not in languages:
        return bad_link(request)
    if request.method == "POST":
        alert.confirm(frequency, language, now=timezone.now())
    context = {
        "finder": view_of(alert.query),
        "frequency": Frequency(frequency).label,
        "done": request.method == "POST",
        "manage_token": alert.subscriber.manage_token,
    }
    return render(request, "alerts/confirm.html", context)


@csrf_exempt
@never_cache
def unsubscribe(request, signed_value):
    """One-click (RFC 8058): a POST, whatever it carries, from the mail client or the page's
    button. A GET shows the button. Unsubscribing twice says the same."""
    alert_id = signed(signed_value, UNSUBSCRIBE_SALT)
    if not isinstance(alert_id, int):
        return bad_link(request)
    alert = Alert.objects.select_related("subscriber").filter(pk=alert_id).first()
    if request.method == "POST":
        if alert is not None:
            alert.unsubscribe()
        return render(request, "alerts/unsubscribe.html", {"done": True})
    finder = view_of(alert.query) if alert else None
    return render(request, "alerts/unsubscribe.html", {"alert": alert, "finder": finder})


@never_cache
def manage_alerts(request, signed_value):
    """Every alert of one address, each with its own button; POST stops them all."""
    subscriber_id = signed(signed_value, MANAGE_SALT)
    if not isinstance(subscriber_id, int):
        return bad_link(request)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if request.method == "POST" and subscriber is not None:
        subscriber.delete()
        subscriber = None
    alerts = list(subscriber.alerts.order_by("requested_at", "pk")) if subscriber else []
    for alert in alerts:
        alert.finder = view_of(alert.query)
    return render(request, "alerts/manage.html", {"alerts": alerts})
