import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

EDITORS = "Editors"


class Command(BaseCommand):
    help = "Create a staff account in the Editors group; the password is asked for, never given."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, username, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        user = User(username=username, email=email, is_staff=True)
        password = self.ask_password(user)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(f"Editor {username!r} created. They can log in to the admin now.")

    def ask_password(self, user):
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
                continue
            return password
        raise CommandError("No valid password given; no account created.")
