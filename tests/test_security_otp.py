"""The admin's optional second factor: staff with an authenticator app give its code at login,
and superusers must have one when ADMIN_REQUIRE_OTP_FOR_SUPERUSERS is on."""

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/" + settings.ADMIN_PATH + "login/"
INDEX = "/" + settings.ADMIN_PATH
PASSWORD = "correct horse battery staple"


def code(device, offset=0):
    """What the app shows now (offset 1: in the next 30 seconds), from the key it scanned."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def log_in(username, token=None):
    client = Client()
    data = {"username": username, "password": PASSWORD, "next": INDEX}
    if token is not None:
        data["otp_token"] = token
    return client, client.post(LOGIN, data)


def is_in_the_admin(client):
    return client.get(INDEX).status_code == 200


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Many logins here; the hasher's cost is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(editor):
    editor.set_password(PASSWORD)
    editor.save()
    return editor


@pytest.fixture
def device(editor):
    return TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)


def test_staff_without_an_authenticator_log_in_with_their_password_alone(editor):
    client, response = log_in("edith")
    assert response.status_code == 302
    assert is_in_the_admin(client)


def test_the_login_form_offers_the_code_field(client):
    page = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in page
    assert 'autocomplete="one-time-code"' in page


def test_staff_with_an_authenticator_log_in_with_its_current_code(device):
    client, response = log_in("edith", code(device))
    assert response.status_code == 302
    assert is_in_the_admin(client)


def test_staff_with_an_authenticator_cannot_log_in_with_their_password_alone(device):
    client, response = log_in("edith")
    assert response.status_code == 200
    assert "Please enter your OTP token." in response.content.decode()
    assert not is_in_the_admin(client)


def test_a_wrong_code_is_refused(device):
    wrong = code(device, offset=10)
    client, response = log_in("edith", wrong)
    assert response.status_code == 200
    assert "Invalid token." in response.content.decode()
    assert not is_in_the_admin(client)


def test_a_wrong_code_makes_the_next_try_wait(settings, device):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute, not a second, however slow the machine
    log_in("edith", code(device, offset=10))
    client, response = log_in("edith", code(device))
    assert "Verification temporarily disabled" in response.content.decode()
    assert not is_in_the_admin(client)


def test_a_code_cannot_be_used_twice(device):
    token = code(device)
    assert is_in_the_admin(log_in("edith", token)[0])
    assert not is_in_the_admin(log_in("edith", token)[0])


def test_a_session_that_skipped_the_second_factor_does_not_open_the_admin(editor, device):
    client = Client()
    client.force_login(editor)
    assert client.get(INDEX).status_code == 302


def test_an_unconfirmed_authenticator_is_not_asked_for(editor):
    TOTPDevice.objects.create(user=editor, name="half set up", confirmed=False)
    assert is_in_the_admin(log_in("edith")[0])


def test_superusers_without_an_authenticator_are_refused_when_the_setting_asks(settings, superuser):
    settings.ADMIN_REQUIRE_OTP_FOR_SUPERUSERS = True
    client, response = log_in("root")
    assert response.status_code == 200
    assert "manage.py add_totp_device root" in response.content.decode()
    assert not is_in_the_admin(client)

    already_logged_in = Client()
    already_logged_in.force_login(superuser)
    assert already_logged_in.get(INDEX).status_code == 302


def test_superusers_with_an_authenticator_get_in_when_the_setting_asks(settings, superuser):
    settings.ADMIN_REQUIRE_OTP_FOR_SUPERUSERS = True
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    assert is_in_the_admin(log_in("root", code(device))[0])


def test_the_setting_leaves_editors_and_superusers_alone_when_off(settings, superuser, editor):
    settings.ADMIN_REQUIRE_OTP_FOR_SUPERUSERS = False
    assert is_in_the_admin(log_in("root")[0])
    settings.ADMIN_REQUIRE_OTP_FOR_SUPERUSERS = True
    assert is_in_the_admin(log_in("edith")[0])


class App:
    """An authenticator app at the terminal: it reads the key the command prints."""

    def __init__(self, stdout, mistakes=0):
        self.stdout, self.mistakes = stdout, mistakes

    def __call__(self, prompt):
        key = re.search(r"type in this key: ([A-Z2-7]+)", self.stdout.getvalue())[1]
        device = TOTPDevice(key=b32decode(key).hex())
        if self.mistakes:
            self.mistakes -= 1
            return code(device, offset=10)
        return code(device)


def test_add_totp_device_enrolls_an_app_once_it_gives_a_matching_code(monkeypatch, editor):
    stdout = StringIO()
    monkeypatch.setattr("builtins.input", App(stdout, mistakes=1))
    call_command("add_totp_device", "edith", stdout=stdout, stderr=StringIO())

    assert "otpauth://totp/" not in stdout.getvalue()  # a QR code, not the raw URL
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed
    assert not is_in_the_admin(log_in("edith")[0])
    assert is_in_the_admin(log_in("edith", code(device, offset=1))[0])


def test_add_totp_device_sets_nothing_up_without_a_matching_code(monkeypatch, editor):
    stdout = StringIO()
    monkeypatch.setattr("builtins.input", App(stdout, mistakes=3))
    with pytest.raises(CommandError, match="nothing was set up"):
        call_command("add_totp_device", "edith", stdout=stdout, stderr=StringIO())
    assert not TOTPDevice.objects.exists()
    assert is_in_the_admin(log_in("edith")[0])


def test_add_totp_device_refuses_an_unknown_or_non_staff_account(django_user_model):
    django_user_model.objects.create_user("reader")
    for username in ["nobody", "reader"]:
        with pytest.raises(CommandError, match="no staff account"):
            call_command("add_totp_device", username)


def test_a_superuser_sees_the_qr_code_of_a_device_in_the_admin(superuser, device):
    client = Client()
    client.force_login(superuser)
    response = client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
