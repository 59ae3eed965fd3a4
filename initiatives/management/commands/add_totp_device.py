import io
from base64 import b32encode

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Set up an authenticator app (TOTP) as the second factor of a staff account: "
        "the admin's login then asks for its code."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator app")

    def handle(self, username, name, **options):
        try:
            user = get_user_model().objects.get(username=username, is_staff=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no staff account called {username!r}.") from None
        # Unconfirmed until the app proves it has the key: the login ignores it till then.
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=False)
        qr_code = io.StringIO()
        segno.make(device.config_url).terminal(out=qr_code, compact=True)
        self.stdout.write("Scan this code with the authenticator app:")
        self.stdout.write(qr_code.getvalue())
        self.stdout.write(f"or type in this key: {b32encode(device.bin_key).decode()}")
        for _attempt in range(3):
            if device.verify_token(input("The six digits the app shows now: ").strip()):
                device.confirmed = True
                device.save()
                self.stdout.write(f"Done: {username} now logs in with a code from the app.")
                return
            self.stderr.write("That code does not match; wait for the next one and try again.")
            device.throttle_reset()
        device.delete()
        raise CommandError("No matching code given; nothing was set up.")
