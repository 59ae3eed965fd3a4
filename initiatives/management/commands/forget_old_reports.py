from django.core.management.base import BaseCommand
from django.db import transaction

from initiatives.alerts import Alert
from initiatives.corrections import Correction, Proposal


class Command(BaseCommand):
    help = (
        "Delete the corrections and proposals readers sent more than 12 months ago, with the "
        "emails they left, and the alerts nobody confirmed within 7 days, with their addresses. "
        "Safe to run daily: the drafts made of proposals stay."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        corrections, _ = Correction.objects.to_forget().delete()
        proposals = Proposal.objects.to_forget()
        # Their countries go with them; count the proposals alone.
        forgotten = proposals.count()
        proposals.delete()
        alerts = Alert.objects.forget_expired()
        self.stdout.write(
            f"Forgot {corrections} corrections and {forgotten} proposals older than 12 months, "
            f"and {alerts} unconfirmed alerts older than 7 days."
        )
