"""The readers' forms: a correction to an entry, an initiative to propose.

No CAPTCHA, no third party: a field people never see (the honeypot), a signed time the form was
shown at (robots send it within a second), length limits on every text, and a rate limit per
address that the views count (probono.ratelimits).
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from initiatives.corrections import Correction, Proposal
from networks.models import Country
from probono.i18n import collation_key

SHOWN_AT_SALT = "initiatives.reports.shown-at"
# A form left open longer than this is sent again with a fresh time: a day of reading is plenty.
SHOWN_AT_MAX_AGE = 24 * 60 * 60
WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def shown_at_token():
    return signing.dumps(time.time(), salt=SHOWN_AT_SALT)


def web_address(**kwargs):
    return forms.URLField(assume_scheme="https", validators=[WEB_ADDRESS], **kwargs)


class ReaderForm(forms.ModelForm):
    """A reader's form, with its two traps for robots."""

    # Hidden from people (templates/includes/report_form_traps.html); robots fill in every field.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown_at = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, **kwargs):
        # Labels are questions or names, without Django's colon after some of them.
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["shown_at"].initial = shown_at_token()

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(
                _("This field is a trap for robots: leave it empty."), code="honeypot"
            )
        return ""

    def clean_shown_at(self):
        try:
            shown = signing.loads(
                self.cleaned_data["shown_at"], salt=SHOWN_AT_SALT, max_age=SHOWN_AT_MAX_AGE
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form was open too long, or came from elsewhere: please send it again."),
                code="stale",
            ) from None
        if time.time() - float(shown) > SHOWN_AT_MAX_AGE:
            raise forms.ValidationError(
                _("This form was open too long, or came from elsewhere: please send it again."),
                code="stale",
            )
        if time.time() - float(shown) < settings.REPORT_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was quicker than anyone can read the form: please send it again."),
                code="too_fast",
            )
        return shown

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.errors:
            # The form shown again carries a fresh time, so that sending it again can work.
            self.data = self.data.copy()
            self.data[self.add_prefix("shown_at")] = shown_at_token()

    @property
    def trap_errors(self):
        """The errors of the hidden fields, shown at the top of the form."""
        return [error for name in ("homepage", "shown_at") for error in self.errors.get(name, [])]


class CorrectionForm(ReaderForm):
    evidence_url = web_address(
        label=_("Evidence link"),
        required=False,
        max_length=500,
        help_text=_("Optional. A page that shows the correct information."),
    )

    class Meta:
        model = Correction
        fields = ["part", "problem", "correction", "evidence_url", "email"]
        labels = {
            "part": _("Which part is wrong?"),
            "problem": _("What is wrong?"),
            "correction": _("What is correct?"),
            "email": _("Your email"),
        }
        help_texts = {
            "email": _("Optional, if you would like a reply. Only the editors see it."),
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "correction": forms.Textarea(attrs={"rows": 4}),
        }


class ProposalForm(ReaderForm):
    source_url = web_address(
        label=_("Source"),
        max_length=500,
        help_text=_("A page that describes the initiative: a report, an article, its website."),
    )
    facilitator_website = web_address(
        label=_("Its website"), required=False, max_length=500, help_text=_("Optional.")
    )
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        label=_("Countries"),
        required=False,
        help_text=_("Where it ran. Hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Proposal
        fields = [
            "title",
            "summary",
            "kind",
            "countries",
            "started_on",
            "ended_on",
            "facilitator_name",
            "facilitator_website",
            "source_url",
            "description",
            "email",
        ]
        labels = {"email": _("Your email")}
        help_texts = {
            "facilitator_name": _("Optional. The organisation that led it."),
            "started_on": _("Optional."),
            "ended_on": _("Optional. Leave empty while it is ongoing."),
            "description": _("Optional. Anything else the editors should know."),
            "email": _("Optional, if you would like a reply. Only the editors see it."),
        }
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = sorted(Country.objects.all(), key=lambda country: collation_key(country.name))
        self.fields["countries"].choices = [(country.pk, country.name) for country in countries]

    def clean(self):
        cleaned_data = super().clean()
        started, ended = cleaned_data.get("started_on"), cleaned_data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        return cleaned_data
