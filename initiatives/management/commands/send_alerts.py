from django.core.management.base import BaseCommand

from initiatives.alert_mail import send_alerts
from initiatives.alerts import Alert, Frequency


class Command(BaseCommand):
    help = (
        "Email each confirmed alert of this frequency the initiatives of its view first "
        "published since its previous email; nothing when nothing is new. Meant for a daily and "
        "a weekly timer (docs/alerts.md): a second run, or one beside it, sends nothing twice, "
        "and emails that failed are sent again. Also deletes alerts left unconfirmed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=Frequency.values,
            default=Frequency.DAILY,
            help="the alerts to send (default daily)",
        )

    def handle(self, *args, frequency, **options):
        forgotten = Alert.objects.forget_expired()
        summary = send_alerts(frequency, progress=self.stdout.write)
        self.stdout.write(f"{summary} Deleted {forgotten} unconfirmed alerts older than 7 days.")
