"""What an initiative's figures count."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ParticipantsUnit(models.TextChoices):
    """What a participants figure counts: a petition counts signatures, not people."""

    PARTICIPANTS = "participants", _("participants")
    SIGNATURES = "signatures", _("signatures")
    REGISTRATIONS = "registrations", _("registrations")
    ATTENDEES = "attendees", _("attendees")
    MEMBERS = "members", _("members")
    ORGANISATIONS = "organisations", _("organisations")

    def count(self, number):
        """ "10,000 signatures", with the number grouped as the active language does."""
        counted = {
            "participants": ngettext("%(count)s participant", "%(count)s participants", number),
            "signatures": ngettext("%(count)s signature", "%(count)s signatures", number),
            "registrations": ngettext("%(count)s registration", "%(count)s registrations", number),
            "attendees": ngettext("%(count)s attendee", "%(count)s attendees", number),
            "members": ngettext("%(count)s member", "%(count)s members", number),
            "organisations": ngettext("%(count)s organisation", "%(count)s organisations", number),
        }[self.value]
        return counted % {"count": intcomma(number)}
