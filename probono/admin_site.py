"""The admin site: an optional second factor at login (django-otp), the address lockouts count."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.forms import OTPAuthenticationFormMixin


def needs_second_factor(user):
    return user_has_device(user) or (
        user.is_superuser and settings.ADMIN_REQUIRE_OTP_FOR_SUPERUSERS
    )


class AdminLoginForm(AdminAuthenticationForm, OTPAuthenticationFormMixin):
    """The password, then the code of the staff member's authenticator if they enrolled one."""

    otp_device = forms.CharField(required=False, widget=forms.Select)
    otp_token = forms.CharField(
        required=False,
        label=_("Authentication code"),
        help_text=_("The six digits your authenticator app shows, if you set one up."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned_data
        if user_has_device(user):
            if not cleaned_data.get("otp_device"):
                cleaned_data["otp_device"] = next(devices_for_user(user)).persistent_id
            self.clean_otp(user)
        elif user.is_superuser and settings.ADMIN_REQUIRE_OTP_FOR_SUPERUSERS:
            raise forms.ValidationError(
                _(
                    "Superusers need a second factor here. Set up an authenticator app with "
                    "“manage.py add_totp_device %(username)s”, then log in with its code."
                ),
                code="otp_required",
                params={"username": user.get_username()},
            )
        return cleaned_data


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/login_otp.html"

    def get_urls(self):
        from probono.verification_admin import verification_queue

        queue = path(
            "verification/", self.admin_view(verification_queue), name="verification_queue"
        )
        return [queue, *super().get_urls()]

    def each_context(self, request):
        from initiatives.corrections import moderation_queue

        # The header tells editors how many of the readers' reports wait for them.
        return {**super().each_context(request), "moderation_queue": moderation_queue(request.user)}

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and (
            user.is_verified() or not needs_second_factor(user)
        )


def client_ip(request):
    """The address django-axes counts failed logins by: the peer's, or with TRUSTED_PROXY_COUNT
    proxies in front, the one the outermost proxy saw (the client cannot forge that entry)."""
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if settings.TRUSTED_PROXY_COUNT and len(hops) >= settings.TRUSTED_PROXY_COUNT:
        return hops[-settings.TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")
