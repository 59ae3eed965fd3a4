import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS = "Editors"


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors group. The password is asked for twice; scripts "
        "give it on standard input (--password-stdin) or in an environment variable "
        "(--password-from-env EDITOR_PASSWORD), never as an argument, which `ps` would show."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        given = parser.add_mutually_exclusive_group()
        given.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input, without a prompt.",
        )
        given.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="Read the password from this environment variable, such as EDITOR_PASSWORD.",
        )

    def handle(self, username, email, password_stdin, password_from_env, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        user = User(username=username, email=email, is_staff=True)
        if password_stdin:
            stdin = options.get("stdin", sys.stdin)
            password = self.checked(stdin.readline().removesuffix("\n").removesuffix("\r"), user)
        elif password_from_env:
            if password_from_env not in os.environ:
                raise CommandError(f"The environment variable {password_from_env} is not set.")
            password = self.checked(os.environ[password_from_env], user)
        else:
            password = self.ask_password(user)
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(f"Editor {username!r} created. They can log in to the admin now.")

    def checked(self, password, user):
        """The password given without a prompt, or a CommandError saying what is wrong."""
        if not password:
            raise CommandError("The password is empty; no account created.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join([*error.messages, "No account created."])) from None
        return password

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
