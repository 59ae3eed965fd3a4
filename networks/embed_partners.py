"""Partners whose sites may frame the directory's embedded lists (/embed/<slug>/)."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from probono.history import OneEntryPerSave
from probono.safe_edits import Revisioned

# Plain HTTP only for a partner's page on this very machine, e.g. in tests.
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
DEFAULT_PORTS = {"https": 443, "http": 80}


def normalised_origin(text):
    """ "https://www.Example.org:443/" as "https://www.example.org": scheme, host and port only,
    as browsers compare them, or a ValidationError saying what is wrong."""
    text = text.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
        # A header carries the host as ASCII: an internationalised name in its IDNA form.
        host = (parts.hostname or "").rstrip(".").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        host = None
    if not host or not all(label.replace("-", "").isalnum() for label in host.split(".")):
        message = _("“%(origin)s” is not a web address.")
    elif parts.scheme not in DEFAULT_PORTS:
        message = _("“%(origin)s” is not an origin like https://www.example.org.")
    elif parts.scheme == "http" and host not in LOCAL_HOSTS:
        message = _("“%(origin)s” must use https:// (http:// only for localhost).")
    elif (
        parts.username
        or parts.password
        or parts.query
        or parts.fragment
        or parts.path not in ("", "/")
        or text.endswith(("?", "#"))
    ):
        message = _("“%(origin)s” must be a scheme, host and port only: no path or query.")
    else:
        origin = f"{parts.scheme}://{host}"
        return origin if port in (None, DEFAULT_PORTS[parts.scheme]) else f"{origin}:{port}"
    raise ValidationError(message, params={"origin": text})


class EmbedPartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class EmbedPartner(Revisioned, models.Model):
    """A partner site, the origins its pages are served from, and the colour of its lists."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("In the embed's address."))
    allowed_origins = models.TextField(
        _("allowed origins"),
        help_text=_(
            "The sites that may show the lists, one a line, as https://www.example.org: "
            "scheme, host and port, no path."
        ),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#1a5fb4",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}\Z", _("Enter a colour as #rrggbb, e.g. #1a5fb4."))
        ],
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive partners' lists are not shown.")
    )
    history = OneEntryPerSave()

    objects = EmbedPartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("embed partner")
        verbose_name_plural = _("embed partners")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("embed", args=[self.slug])

    def clean(self):
        super().clean()
        self.accent_colour = self.accent_colour.lower()
        errors, origins = [], []
        for line in self.allowed_origins.splitlines():
            if not line.strip():
                continue
            try:
                origins.append(normalised_origin(line))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError({"allowed_origins": errors})
        if not origins:
            raise ValidationError({"allowed_origins": _("Enter at least one origin.")})
        self.allowed_origins = "\n".join(dict.fromkeys(origins))

    @property
    def origins(self):
        return self.allowed_origins.split()
