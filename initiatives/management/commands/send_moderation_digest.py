from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from initiatives.corrections import Correction, Proposal


def recipients():
    """MODERATION_DIGEST_TO, or every active staff member who may moderate, with an email."""
    if settings.MODERATION_DIGEST_TO:
        return settings.MODERATION_DIGEST_TO
    may_moderate = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="change_correction")
        | Q(user_permissions__codename="change_correction")
    )
    staff = get_user_model().objects.filter(may_moderate, is_active=True, is_staff=True)
    return sorted(set(staff.exclude(email="").values_list("email", flat=True)))


class Command(BaseCommand):
    help = (
        "Email the editors what readers sent that waits for them: one email, nothing when "
        "nothing waits. Meant for a daily cron."
    )

    def handle(self, *args, **options):
        corrections = list(
            Correction.objects.waiting().select_related("initiative", "facilitator", "network")
        )
        proposals = list(Proposal.objects.waiting())
        if not (corrections or proposals):
            self.stdout.write("Nothing waits for moderation: no email sent.")
            return
        to = recipients()
        if not to:
            self.stdout.write("Nobody to send the digest to: no email sent.")
            return
        context = {
            "corrections": corrections,
            "proposals": proposals,
            "site_url": settings.SITE_URL,
            "corrections_url": reverse("admin:initiatives_correction_changelist"),
            "proposals_url": reverse("admin:initiatives_proposal_changelist"),
        }
        counts = ", ".join(
            [
                ngettext("%d correction", "%d corrections", len(corrections)) % len(corrections),
                ngettext("%d proposal", "%d proposals", len(proposals)) % len(proposals),
            ]
        )
        subject = f"{settings.EMAIL_SUBJECT_PREFIX}To moderate: {counts}"
        body = render_to_string("emails/moderation_digest.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        self.stdout.write(f"Digest sent to {len(to)} editors.")
