"""Embed partners in the admin, and the page that writes a partner's snippet for a view."""

from urllib.parse import urlencode, urlsplit

from csp.constants import SELF
from csp.decorators import csp_update
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import Resolver404, path, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import get_language_from_path, override
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from networks.embed_partners import EmbedPartner
from networks.embeds import DEFAULT_THEME, embed_address, snippet
from probono.safe_edits import SafeEditsAdmin


class EmbedCodeForm(forms.Form):
    view = forms.CharField(
        label=_("View of the directory"),
        required=False,
        help_text=_(
            "The address of a list of initiatives in the directory, filtered as the partner "
            "wants it, e.g. /initiatives/?country=pt; empty for every initiative."
        ),
    )
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("light", _("Light")), ("dark", _("Dark"))]
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, host, **kwargs):
        super().__init__(*args, **kwargs)
        self.host = host

    def clean_view(self):
        """The query string of a view of the initiatives list of this directory."""
        try:
            parts = urlsplit(self.cleaned_data["view"].strip())
        except ValueError:
            parts = None
        if parts is None or parts.netloc not in ("", self.host):
            raise forms.ValidationError(_("Paste an address of this directory."))
        list_path = parts.path or reverse("initiative_list")
        with override(get_language_from_path(list_path) or settings.LANGUAGE_CODE):
            try:
                name = resolve(list_path).url_name
            except Resolver404:
                name = None
        if name != "initiative_list":
            raise forms.ValidationError(
                _("Paste the address of the list of initiatives (/initiatives/), filtered.")
            )
        return parts.query


@admin.register(EmbedPartner)
class EmbedPartnerAdmin(SafeEditsAdmin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "allowed_origins", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "allowed_origins"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "allowed_origins", "accent_colour", "is_active", "embed_code"]
    readonly_fields = ["embed_code"]

    @admin.display(description=_("Embed code"))
    def embed_code(self, partner):
        if not partner.pk:
            return _("Save the partner first.")
        url = reverse("admin:networks_embedpartner_embed_code", args=[partner.pk])
        return format_html('<a href="{}">{}</a>', url, _("Write the code for a view"))

    def get_urls(self):
        # The preview frames the directory's own embed page, which default-src 'none' forbids.
        view = csp_update({"frame-src": [SELF]})(self.embed_code_view)
        code = path(
            "<path:object_id>/embed-code/",
            self.admin_site.admin_view(view),
            name="networks_embedpartner_embed_code",
        )
        return [code, *super().get_urls()]

    def embed_code_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        partner = self.get_object(request, object_id)
        if partner is None:
            raise Http404
        data = request.GET or {"theme": DEFAULT_THEME, "language": settings.LANGUAGE_CODE}
        form = EmbedCodeForm(data, host=request.get_host())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": partner,
            "title": _("Embed code for %(partner)s") % {"partner": partner},
            "form": form,
        }
        if form.is_valid():
            context |= self.built(request, partner, **form.cleaned_data)
        return TemplateResponse(request, "admin/networks/embedpartner/embed_code.html", context)

    @staticmethod
    def built(request, partner, view, theme, language):
        directory = f"{request.scheme}://{request.get_host()}"
        address = embed_address(directory, partner, view, theme, language)
        return {
            "snippet": snippet(directory, partner, view, theme, language),
            "embed_url": address,
            "oembed_url": directory + reverse("oembed") + "?" + urlencode({"url": address}),
        }
